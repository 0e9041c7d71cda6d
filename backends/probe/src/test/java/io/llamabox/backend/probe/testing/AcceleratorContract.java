package io.llamabox.backend.probe.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.backend.probe.Accelerator;
import io.llamabox.backend.probe.Host;
import io.llamabox.backend.probe.Requirement;
import io.llamabox.spi.BackendProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * What every accelerator module's provider must do, checked on fake machines built from its own
 * {@link Accelerator} description: run where everything is present, and name each missing piece (a
 * driver library, device files, the plugin, a library the plugin links against, the platform).
 */
public final class AcceleratorContract {
    private AcceleratorContract() {
    }

    public static void verify(Path dir, Accelerator spec, Function<Host, BackendProvider> factory) {
        String os = spec.oses().contains("linux") ? "linux" : spec.oses().iterator().next();
        String arch = spec.archs().contains("x86_64") ? "x86_64" : spec.archs().iterator().next();
        String javaOs = os.equals("macos") ? "Mac OS X" : "Linux";
        String libDir = "/usr/lib/" + arch + "-linux-gnu";
        String pluginDir = libDir + "/ggml/backends0";

        BackendProvider ok = factory.apply(complete(dir.resolve("complete"), spec, libDir, pluginDir, null, true)
                .host(javaOs, arch));
        BackendProvider.Availability a = ok.probe();
        assertTrue(a.available(), a.detail());
        assertTrue(a.detail().contains(spec.product()) && a.detail().contains(pluginDir + "/" + spec.plugin()), a.detail());
        assertEquals(List.of(dir.resolve("complete").resolve(pluginDir.substring(1)).resolve(spec.plugin())), ok.plugins());
        assertEquals(spec.name(), ok.name());
        assertEquals(spec.registryName(), ok.registryName());
        assertEquals(BackendProvider.ALL_LAYERS, ok.defaultGpuLayers(), "accelerators offload every layer by default");

        for (int i = 0; i < spec.requirements().size(); i++) {
            Requirement r = spec.requirements().get(i);
            BackendProvider p = factory.apply(complete(dir.resolve("without-" + i), spec, libDir, pluginDir, r, true)
                    .host(javaOs, arch));
            BackendProvider.Availability missing = p.probe();
            assertFalse(missing.available(), "missing " + r);
            String hint = r instanceof Requirement.Library l ? l.hint() : ((Requirement.Files) r).hint();
            assertTrue(missing.detail().contains(hint), missing.detail());
            assertTrue(p.plugins().isEmpty());
        }

        BackendProvider noPlugin = factory.apply(complete(dir.resolve("no-plugin"), spec, libDir, pluginDir, null, false)
                .host(javaOs, arch));
        assertFalse(noPlugin.probe().available());
        assertTrue(noPlugin.probe().detail().contains(spec.plugin()) && noPlugin.probe().detail().contains(spec.pluginHint()),
                noPlugin.probe().detail());

        FakeMachine brokenPlugin = complete(dir.resolve("broken-plugin"), spec, libDir, pluginDir, null, false)
                .pluginIn(pluginDir, spec.plugin(), "libggml-base.so.0", "libc.so.6", "libvendor-missing.so.9");
        BackendProvider broken = factory.apply(brokenPlugin.host(javaOs, arch));
        assertFalse(broken.probe().available());
        assertTrue(broken.probe().detail().contains("needs libvendor-missing.so.9"), broken.probe().detail());

        BackendProvider elsewhere = factory.apply(complete(dir.resolve("elsewhere"), spec, libDir, pluginDir, null, true)
                .host("Windows 11", "amd64"));
        assertFalse(elsewhere.probe().available());
        assertTrue(elsewhere.probe().detail().contains("windows/x86_64"), elsewhere.probe().detail());
    }

    private static FakeMachine complete(Path root, Accelerator spec, String libDir, String pluginDir, Requirement skip,
            boolean withPlugin) {
        FakeMachine m = FakeMachine.at(root);
        for (Requirement r : spec.requirements()) {
            if (r == skip) {
                continue;
            }
            switch (r) {
                case Requirement.Library l -> m.file(libDir + "/" + l.fileNames().getFirst());
                case Requirement.Files f -> m.file(concrete(f.patterns().getFirst()));
            }
        }
        m.file(libDir + "/libvendor-runtime.so.3");
        if (withPlugin) {
            m.pluginIn(pluginDir, spec.plugin(), "libggml-base.so.0", "libvendor-runtime.so.3", "libstdc++.so.6");
        }
        return m;
    }

    /** A file name that a glob pattern matches: {@code [0-9]} and {@code *} become {@code 0}. */
    static String concrete(String pattern) {
        return pattern.replace("[0-9]", "0").replace("*", "0");
    }
}
