package io.llamabox.backend.metal;

import io.llamabox.backend.probe.Accelerator;
import io.llamabox.backend.probe.AcceleratorProvider;
import io.llamabox.backend.probe.Host;
import io.llamabox.backend.probe.Requirement;
import java.util.List;
import java.util.Set;

/** Apple GPUs through ggml's Metal plugin, on macOS. */
public final class MetalBackendProvider extends AcceleratorProvider {
    static final Accelerator SPEC = new Accelerator("metal", "Metal", "Apple Metal", Set.of("macos"),
            Set.of("aarch64", "x86_64"), "libggml-metal.so",
            "build ggml with -DGGML_METAL=ON -DGGML_BACKEND_DL=ON (or install Homebrew's ggml) and name its"
                    + " directory with LLAMABOX_GGML_BACKENDS",
            List.of(new Requirement.Files("Metal framework", List.of("/System/Library/Frameworks/Metal.framework"),
                            "Metal needs macOS on a Mac with a Metal 3 GPU")));

    /** The provider for this machine, as {@link java.util.ServiceLoader} creates it. */
    public MetalBackendProvider() {
        this(Host.current());
    }

    MetalBackendProvider(Host host) {
        super(host, SPEC);
    }
}
