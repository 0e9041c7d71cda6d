package io.llamabox.cli.launch;

import io.llamabox.config.BoxSettings;
import io.llamabox.config.RpcEndpoint;
import io.llamabox.jni.DeviceInfo;
import io.llamabox.jni.DeviceType;
import io.llamabox.jni.Llama;
import io.llamabox.jni.LlamaException;
import io.llamabox.spi.BackendProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the backend modules with ServiceLoader, loads the ggml plugins of those that can run here, and
 * connects the {@code --rpc} servers. Plugins are loaded before anything initialises llama.cpp, which
 * would otherwise load every plugin of ggml's own installation directory instead of the chosen ones.
 */
final class Backends {
    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

    /** A backend module of this project, and the runtime image that carries it. */
    record Known(String modules, String image) {
    }

    /** The backend modules this project has, by the registry name of the ggml backend each serves. */
    static final Map<String, Known> MODULES = Map.of("CPU", new Known("cpu-avx2, cpu-avx512 or cpu-neon", "cpu"),
            "CUDA", new Known("cuda", "cuda"), "ROCm", new Known("rocm", "rocm"), "Vulkan", new Known("vulkan", "vulkan"),
            "SYCL", new Known("sycl", "sycl"), "CANN", new Known("cann", "cann"), "MUSA", new Known("musa", "musa"),
            "Metal", new Known("metal", "metal"), "RPC", new Known("rpc", "cpu"));

    private static Loaded loaded;

    /** What was probed: each provider's name, whether its plugin is loaded, why (not), and the plugin. */
    record Probe(String name, String registryName, boolean loaded, String detail, Optional<Path> plugin,
            int defaultGpuLayers) {
    }

    /** What becomes of a provider. */
    enum Decision {
        /** It can run and its backend is not loaded yet: load its plugin. */
        LOAD,
        /** It cannot run here. */
        UNUSABLE,
        /** It can run, but a provider of higher priority serves the same backend. */
        SHADOWED,
        /** It can run, but ggml had loaded that backend itself. */
        LOADED_BY_GGML
    }

    /** The outcome of choosing among the providers, before any plugin is loaded. */
    record Choice(BackendProvider provider, BackendProvider.Availability availability, Decision decision, String reason) {
        boolean load() {
            return decision == Decision.LOAD;
        }
    }

    /** The backends of this process. */
    record Loaded(List<Probe> probes) {
        /** The probe of the provider whose plugin serves this registry name, if one was loaded. */
        Optional<Probe> serving(String registryName) {
            return probes.stream().filter(p -> p.loaded() && p.registryName().equalsIgnoreCase(registryName)).findFirst();
        }

        /**
         * The layers to offload when {@code -ngl} is not given: every layer when a device of a backend
         * that offloads by default (an accelerator, an RPC server) is present, none otherwise.
         */
        int defaultGpuLayers(List<DeviceInfo> devices) {
            for (DeviceInfo d : devices) {
                if (d.type() == DeviceType.CPU || d.type() == DeviceType.ACCELERATOR) {
                    continue;
                }
                int layers = serving(d.backend()).map(Probe::defaultGpuLayers).orElse(BackendProvider.ALL_LAYERS);
                if (layers == BackendProvider.ALL_LAYERS) {
                    return BackendProvider.ALL_LAYERS;
                }
            }
            return 0;
        }

        /** Why no plugin serves this registry name: the probes of its modules, or that there is none. */
        String whyNotServed(String registryName) {
            String details = probes.stream().filter(p -> p.registryName().equalsIgnoreCase(registryName))
                    .map(p -> p.name() + ": " + p.detail()).collect(Collectors.joining("; "));
            return details.isEmpty() ? "this runtime has no backend module for " + registryName : details;
        }

        /** Why there is no device of this name: the module that would register it is absent or cannot run. */
        String explainMissingDevice(String deviceName) {
            String lower = deviceName.toLowerCase(Locale.ROOT);
            for (var e : MODULES.entrySet()) {
                String reg = e.getKey().toLowerCase(Locale.ROOT);
                boolean matches = lower.startsWith(reg) || reg.equals("metal") && lower.startsWith("mtl");
                if (!matches) {
                    continue;
                }
                List<Probe> candidates = probes.stream().filter(p -> p.registryName().equalsIgnoreCase(e.getKey())).toList();
                if (e.getKey().equals("RPC")) {
                    return "RPC devices come from --rpc HOST:PORT servers";
                }
                if (candidates.isEmpty()) {
                    return "this runtime has no " + e.getValue().modules() + " backend module (it has "
                            + probes.stream().map(Probe::name).sorted().collect(Collectors.joining(", "))
                            + "): use the llama-box-" + e.getValue().image() + " image or put the module on the module path";
                }
                return candidates.stream().map(p -> p.name() + (p.loaded() ? " is loaded but registered no such device"
                        : " is not usable: " + p.detail())).collect(Collectors.joining("; "));
            }
            return "no backend registers devices of that name";
        }
    }

    private Backends() {
    }

    /** Loads the backends once per process; later calls return the first result. */
    static synchronized Loaded load() {
        if (loaded == null) {
            List<BackendProvider> providers = new ArrayList<>();
            ServiceLoader.load(BackendProvider.class).forEach(providers::add);
            loaded = load(choose(providers, Llama::backendLoaded));
        }
        return loaded;
    }

    /** Loads the backends, then connects the RPC servers of {@code --rpc}, whose devices join the local ones. */
    static Loaded load(BoxSettings settings) {
        Loaded l = load();
        for (RpcEndpoint server : settings.model().offload().rpcServers()) {
            connect(server);
        }
        return l;
    }

    private static void connect(RpcEndpoint server) {
        if (!Llama.backendLoaded("RPC")) {
            throw new IllegalStateException("--rpc " + server + ": the RPC backend is not loaded: "
                    + load().whyNotServed("RPC"));
        }
        int major = Llama.rpcProtocolVersion()[0];
        RpcHandshake.problem(server.host(), server.port(), major, Duration.ofSeconds(10)).ifPresent(why -> {
            throw new IllegalStateException("cannot use RPC server " + server + ": " + why);
        });
        int before = Llama.devices().size();
        try {
            int added = Llama.addRpcServer(server.toString());
            List<DeviceInfo> now = Llama.devices();
            LOG.info("RPC server {}: {} device(s) {}", server, added,
                    now.subList(before, now.size()).stream().map(d -> d.name() + " (" + (d.memoryFree() >> 20) + " MiB free)").toList());
        } catch (LlamaException e) {
            throw new IllegalStateException("cannot use RPC server " + server + ": " + e.getMessage()
                    .replaceFirst("^cannot use RPC server \\S+: ?", ""), e);
        }
    }

    /**
     * Decides which providers load their plugins: the best available one for each ggml backend (by
     * priority), unless ggml registered that backend already.
     */
    static List<Choice> choose(List<BackendProvider> providers, Predicate<String> alreadyRegistered) {
        List<BackendProvider> sorted = new ArrayList<>(providers);
        sorted.sort(Comparator.comparingInt(BackendProvider::priority).reversed().thenComparing(BackendProvider::name));
        Set<String> taken = new HashSet<>();
        List<Choice> out = new ArrayList<>();
        for (BackendProvider p : sorted) {
            BackendProvider.Availability a = p.probe();
            String reg = p.registryName().toUpperCase(Locale.ROOT);
            if (!a.available()) {
                out.add(new Choice(p, a, Decision.UNUSABLE, a.detail()));
            } else if (taken.contains(reg)) {
                String by = out.stream().filter(c -> c.load() && c.provider().registryName().equalsIgnoreCase(reg))
                        .map(c -> c.provider().name()).findFirst().orElse("ggml");
                out.add(new Choice(p, a, Decision.SHADOWED, "runs here, but the " + p.registryName() + " backend is "
                        + by + "'s"));
            } else if (alreadyRegistered.test(p.registryName())) {
                taken.add(reg);
                out.add(new Choice(p, a, Decision.LOADED_BY_GGML, "the " + p.registryName()
                        + " backend was already loaded by ggml"));
            } else {
                taken.add(reg);
                out.add(new Choice(p, a, Decision.LOAD, a.detail()));
            }
        }
        return out;
    }

    private static Loaded load(List<Choice> choices) {
        List<Probe> probes = new ArrayList<>();
        for (Choice c : choices) {
            BackendProvider p = c.provider();
            if (!c.load()) {
                boolean byGgml = c.decision() == Decision.LOADED_BY_GGML;
                LOG.debug("backend {}: {}", p.name(), c.reason());
                probes.add(new Probe(p.name(), p.registryName(), byGgml, c.reason(),
                        byGgml ? Llama.backendLibrary(p.registryName()) : Optional.empty(), p.defaultGpuLayers()));
                continue;
            }
            Path used = null;
            List<String> failures = new ArrayList<>();
            for (Path plugin : p.plugins()) {
                try {
                    Llama.loadBackend(plugin);
                    used = plugin;
                    break;
                } catch (LlamaException | IllegalArgumentException e) {
                    failures.add(e.getMessage());
                }
            }
            if (used == null) {
                String why = "its plugin did not load: " + String.join("; ", failures);
                LOG.warn("backend {}: {}", p.name(), why);
                probes.add(new Probe(p.name(), p.registryName(), false, why, Optional.empty(), p.defaultGpuLayers()));
            } else {
                String detail = used.equals(p.plugins().getFirst()) ? c.reason() : c.reason() + "; loaded " + used
                        + " instead (" + String.join("; ", failures) + ")";
                LOG.info("backend {}: {}", p.name(), detail);
                probes.add(new Probe(p.name(), p.registryName(), true, detail, Optional.of(used), p.defaultGpuLayers()));
            }
        }
        if (probes.stream().noneMatch(Probe::loaded)) {
            throw new IllegalStateException("no backend can run on this machine: " + probes.stream()
                    .map(p -> p.name() + ": " + p.detail()).collect(Collectors.joining("; ")));
        }
        return new Loaded(List.copyOf(probes));
    }
}
