package io.llamabox.backend.probe;

import io.llamabox.spi.BackendProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A CPU backend for one family of processors: picks, among ggml's CPU plugin builds of that family, the
 * best one this processor runs whose file is installed and whose libraries resolve.
 */
public abstract class CpuPluginProvider implements BackendProvider {
    private final Host host;
    private final String name;
    private final String family;
    private final String arch;
    private final List<CpuVariant> variants;
    private final boolean acceptsGeneric;
    private final int priority;
    private volatile Result result;

    /**
     * @param name the module's backend name, e.g. {@code cpu-avx2}
     * @param family what the family needs, for messages, e.g. {@code AVX-512}
     * @param arch the architecture of the builds ({@code x86_64}, {@code aarch64})
     * @param variants the family's builds, best first
     * @param acceptsGeneric whether a CPU plugin built without variants ({@code libggml-cpu.so}) serves as the last resort
     * @param priority higher wins when several CPU modules can run
     */
    protected CpuPluginProvider(Host host, String name, String family, String arch, List<CpuVariant> variants,
            boolean acceptsGeneric, int priority) {
        this.host = host;
        this.name = name;
        this.family = family;
        this.arch = arch;
        this.variants = List.copyOf(variants);
        this.acceptsGeneric = acceptsGeneric;
        this.priority = priority;
    }

    private record Result(Availability availability, List<PluginDirectories.Plugin> plugins, CpuVariant chosen) {
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String registryName() {
        return "CPU";
    }

    @Override
    public final int priority() {
        return priority;
    }

    @Override
    public final Availability probe() {
        return result().availability();
    }

    @Override
    public final List<java.nio.file.Path> plugins() {
        return result().plugins().stream().map(PluginDirectories.Plugin::path).toList();
    }

    /** The build chosen for this processor, or null when the probe failed. */
    public final CpuVariant chosen() {
        return result().chosen();
    }

    private Result result() {
        Result r = result;
        if (r == null) {
            r = compute();
            result = r;
        }
        return r;
    }

    private Result compute() {
        if (!host.arch().equals(arch)) {
            return no("the " + family + " CPU plugins are built for " + arch + "; this machine is " + host.os() + "/"
                    + host.arch());
        }
        Set<String> flags = host.cpuFlags();
        List<CpuVariant> runnable = new ArrayList<>(variants.stream().filter(v -> v.runsOn(flags)).toList());
        String lacks = "this processor lacks " + family + " (no " + String.join(", ", variants.getLast().lacking(flags))
                + " in /proc/cpuinfo)";
        boolean familyRuns = !runnable.isEmpty();
        if (acceptsGeneric) {
            runnable.add(CpuVariant.GENERIC);
        }
        if (runnable.isEmpty()) {
            return no(lacks);
        }
        List<PluginDirectories.Plugin> usable = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        CpuVariant best = null;
        for (CpuVariant v : runnable) {
            var found = PluginDirectories.find(host, v.fileName());
            if (found.isEmpty()) {
                continue;
            }
            List<String> missing = LinkCheck.missing(host, found.get());
            if (!missing.isEmpty()) {
                broken.add(found.get().name() + " needs " + String.join(", ", missing) + ", which "
                        + (missing.size() == 1 ? "is" : "are") + " not installed");
                continue;
            }
            if (best == null) {
                best = v;
            }
            usable.add(found.get());
        }
        if (best == null && !familyRuns && broken.isEmpty()) {
            return no(lacks + " and no generic " + CpuVariant.GENERIC.fileName() + " is installed");
        }
        if (best == null) {
            String looked = runnable.stream().map(CpuVariant::fileName).toList().toString();
            return no(broken.isEmpty()
                    ? "no " + family + " CPU plugin for this processor (" + looked + ") in " + PluginDirectories.of(host)
                            + "; install ggml's CPU backends or name their directory with -D" + PluginDirectories.PROPERTY
                            + " or " + PluginDirectories.VARIABLE
                    : String.join("; ", broken));
        }
        String what = best == CpuVariant.GENERIC
                ? "generic build (compiled for the machine that built it)"
                : best.name() + " build";
        String note = noteFor(best, flags);
        return new Result(Availability.yes("CPU " + what + " for " + family + " from " + usable.getFirst().name() + note),
                List.copyOf(usable), best);
    }

    /** A note appended to the probe's detail for the chosen build (e.g. that it is slow); empty by default. */
    protected String noteFor(CpuVariant chosen, Set<String> cpuFlags) {
        return "";
    }

    private static Result no(String why) {
        return new Result(Availability.no(why), List.of(), null);
    }
}
