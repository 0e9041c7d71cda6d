package io.llamabox.backend.probe;

import io.llamabox.spi.BackendProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A backend of offload devices (GPUs, NPUs, remote RPC servers) described by an {@link Accelerator}:
 * usable when the platform matches, every requirement is met, and its plugin is installed with the
 * libraries it links against. Otherwise the probe names everything that is missing and how to get it.
 * Offloads every layer by default.
 */
public abstract class AcceleratorProvider implements BackendProvider {
    private final Host host;
    private final Accelerator accelerator;
    private volatile Availability availability;
    private volatile Path plugin;

    protected AcceleratorProvider(Host host, Accelerator accelerator) {
        this.host = host;
        this.accelerator = accelerator;
    }

    @Override
    public final String name() {
        return accelerator.name();
    }

    @Override
    public final String registryName() {
        return accelerator.registryName();
    }

    @Override
    public int defaultGpuLayers() {
        return ALL_LAYERS;
    }

    /** The host this provider looks at. */
    protected final Host host() {
        return host;
    }

    @Override
    public final Availability probe() {
        Availability a = availability;
        if (a == null) {
            a = compute();
            availability = a;
        }
        return a;
    }

    @Override
    public final List<Path> plugins() {
        probe();
        return plugin == null ? List.of() : List.of(plugin);
    }

    /** Problems beyond the declared requirements (e.g. a driver too old), each one line; none by default. */
    protected List<String> extraProblems() {
        return List.of();
    }

    private Availability compute() {
        Accelerator a = accelerator;
        if (!a.oses().contains(host.os()) || !a.archs().contains(host.arch())) {
            return Availability.no(a.product() + " runs on " + new TreeSet<>(a.oses()) + " " + new TreeSet<>(a.archs())
                    + "; this machine is " + host.os() + "/" + host.arch());
        }
        List<String> problems = new ArrayList<>();
        List<String> found = new ArrayList<>();
        for (Requirement r : a.requirements()) {
            Optional<String> where = r.locate(host);
            if (where.isPresent()) {
                found.add(where.get());
            } else {
                problems.add(r.explain(host));
            }
        }
        Optional<PluginDirectories.Plugin> p = PluginDirectories.find(host, a.plugin());
        if (p.isEmpty()) {
            problems.add("no ggml plugin " + a.plugin() + " in " + PluginDirectories.of(host) + ": " + a.pluginHint());
        } else {
            List<String> missing = LinkCheck.missing(host, p.get());
            if (!missing.isEmpty()) {
                problems.add(a.plugin() + " needs " + String.join(", ", missing) + ", not found in the library"
                        + " directories (LD_LIBRARY_PATH included)");
            }
        }
        if (problems.isEmpty()) {
            problems.addAll(extraProblems());
        }
        if (!problems.isEmpty()) {
            return Availability.no(a.product() + " is not usable here: " + String.join("; ", problems));
        }
        plugin = p.get().path();
        return Availability.yes(a.product() + " from " + p.get().name()
                + (found.isEmpty() ? "" : " (found " + String.join("; ", found) + ")"));
    }
}
