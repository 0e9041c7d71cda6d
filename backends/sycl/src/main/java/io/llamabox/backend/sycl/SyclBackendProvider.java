package io.llamabox.backend.sycl;

import io.llamabox.backend.probe.Accelerator;
import io.llamabox.backend.probe.AcceleratorProvider;
import io.llamabox.backend.probe.Host;
import io.llamabox.backend.probe.Requirement;
import java.util.List;
import java.util.Set;

/**
 * Intel GPUs through ggml's SYCL plugin: needs the oneAPI SYCL runtime, the Level Zero loader and a
 * render node.
 */
public final class SyclBackendProvider extends AcceleratorProvider {
    static final Accelerator SPEC = new Accelerator("sycl", "SYCL", "Intel oneAPI SYCL", Set.of("linux"),
            Set.of("x86_64"), "libggml-sycl.so",
            "no distribution packages it: build ggml with the oneAPI 2025.0 compilers, -DGGML_SYCL=ON"
                    + " -DGGML_BACKEND_DL=ON, and name its directory with LLAMABOX_GGML_BACKENDS",
            List.of(new Requirement.Library("oneAPI SYCL runtime", List.of("libsycl.so.8", "libsycl.so.7"),
                            "install the Intel oneAPI 2025.0 runtime and source /opt/intel/oneapi/setvars.sh"),
                    new Requirement.Library("Level Zero loader", List.of("libze_loader.so.1"),
                            "install the Intel GPU compute stack (level-zero, intel-opencl-icd)"),
                    new Requirement.Files("GPU render node", List.of("/dev/dri/renderD*"),
                            "no Intel GPU is visible (a container needs --device /dev/dri)")));

    /** The provider for this machine, as {@link java.util.ServiceLoader} creates it. */
    public SyclBackendProvider() {
        this(Host.current());
    }

    SyclBackendProvider(Host host) {
        super(host, SPEC);
    }
}
