package io.llamabox.cli.launch;

import io.llamabox.jni.Llama;
import io.llamabox.spi.BackendProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds the backend modules with ServiceLoader and loads the ggml plugins of those that can run here. */
final class Backends {
    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

    /** What was probed: each provider's name, whether it was loaded, and its detail. */
    record Probe(String name, boolean loaded, String detail) {
    }

    private Backends() {
    }

    static List<Probe> load() {
        List<BackendProvider> providers = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(providers::add);
        providers.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        List<Probe> out = new ArrayList<>();
        for (BackendProvider p : providers) {
            BackendProvider.Availability a = p.probe();
            if (!a.available()) {
                LOG.info("backend {} not used: {}", p.name(), a.detail());
                out.add(new Probe(p.name(), false, a.detail()));
                continue;
            }
            if (Llama.backendLoaded(p.registryName())) {
                // libllama loads ggml's installed plugins itself; a second copy would only shadow the first
                LOG.info("backend {}: {} backend already loaded by ggml", p.name(), p.registryName());
            } else {
                for (Path plugin : p.plugins()) {
                    Llama.loadBackend(plugin);
                }
                LOG.info("backend {}: {}", p.name(), a.detail());
            }
            out.add(new Probe(p.name(), true, a.detail()));
        }
        if (out.stream().noneMatch(Probe::loaded)) {
            throw new IllegalStateException("no backend can run on this machine: " + out);
        }
        return out;
    }
}
