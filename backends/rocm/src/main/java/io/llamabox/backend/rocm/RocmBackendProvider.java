package io.llamabox.backend.rocm;

import io.llamabox.backend.probe.Accelerator;
import io.llamabox.backend.probe.AcceleratorProvider;
import io.llamabox.backend.probe.Host;
import io.llamabox.backend.probe.Requirement;
import java.util.List;
import java.util.Set;

/**
 * AMD GPUs through ggml's HIP plugin: needs the ROCm HIP runtime, the amdgpu kernel driver ({@code
 * /dev/kfd}) and a render node.
 */
public final class RocmBackendProvider extends AcceleratorProvider {
    static final Accelerator SPEC = new Accelerator("rocm", "ROCm", "AMD ROCm/HIP", Set.of("linux"),
            Set.of("x86_64"), "libggml-hip.so",
            "install ggml's HIP backend (Debian: libggml0-backend-hip) or build ggml with -DGGML_HIP=ON"
                    + " -DGGML_BACKEND_DL=ON and name its directory with LLAMABOX_GGML_BACKENDS",
            List.of(new Requirement.Library("HIP runtime", List.of("libamdhip64.so.6", "libamdhip64.so.7", "libamdhip64.so.5"),
                            "install ROCm 6.2 (rocm-hip-runtime, rocblas, hipblas) and put /opt/rocm/lib on the library path"),
                    new Requirement.Files("AMD compute device /dev/kfd", List.of("/dev/kfd"),
                            "load the amdgpu kernel driver (a container needs --device /dev/kfd --device /dev/dri)"),
                    new Requirement.Files("GPU render node", List.of("/dev/dri/renderD*"),
                            "no GPU is visible (a container needs --device /dev/dri)")));

    /** The provider for this machine, as {@link java.util.ServiceLoader} creates it. */
    public RocmBackendProvider() {
        this(Host.current());
    }

    RocmBackendProvider(Host host) {
        super(host, SPEC);
    }
}
