package io.llamabox.backend.cann;

import io.llamabox.backend.probe.Accelerator;
import io.llamabox.backend.probe.AcceleratorProvider;
import io.llamabox.backend.probe.Host;
import io.llamabox.backend.probe.Requirement;
import java.util.List;
import java.util.Set;

/**
 * Huawei Ascend NPUs through ggml's CANN plugin: needs the CANN runtime and the Ascend driver's device
 * nodes.
 */
public final class CannBackendProvider extends AcceleratorProvider {
    static final Accelerator SPEC = new Accelerator("cann", "CANN", "Huawei Ascend CANN", Set.of("linux"),
            Set.of("x86_64", "aarch64"), "libggml-cann.so",
            "no distribution packages it: build ggml against CANN 8.0 with -DGGML_CANN=ON -DGGML_BACKEND_DL=ON"
                    + " and name its directory with LLAMABOX_GGML_BACKENDS",
            List.of(new Requirement.Library("Ascend CANN runtime", List.of("libascendcl.so"),
                            "install CANN 8.0 and source /usr/local/Ascend/ascend-toolkit/set_env.sh"),
                    new Requirement.Files("Ascend device manager", List.of("/dev/davinci_manager"),
                            "install the Ascend NPU driver (910B, 310P)"),
                    new Requirement.Files("Ascend NPU device node", List.of("/dev/davinci[0-9]*"),
                            "no NPU is visible (a container needs /dev/davinci*, /dev/davinci_manager, /dev/devmm_svm, /dev/hisi_hdc)")));

    /** The provider for this machine, as {@link java.util.ServiceLoader} creates it. */
    public CannBackendProvider() {
        this(Host.current());
    }

    CannBackendProvider(Host host) {
        super(host, SPEC);
    }
}
