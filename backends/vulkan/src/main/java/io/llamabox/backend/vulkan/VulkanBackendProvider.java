package io.llamabox.backend.vulkan;

import io.llamabox.backend.probe.Accelerator;
import io.llamabox.backend.probe.AcceleratorProvider;
import io.llamabox.backend.probe.Host;
import io.llamabox.backend.probe.Requirement;
import java.util.List;
import java.util.Set;

/**
 * GPUs of any vendor through ggml's Vulkan plugin: needs the Vulkan loader, an installed Vulkan driver
 * and a GPU device node.
 */
public final class VulkanBackendProvider extends AcceleratorProvider {
    static final Accelerator SPEC = new Accelerator("vulkan", "Vulkan", "Vulkan", Set.of("linux"),
            Set.of("x86_64", "aarch64"), "libggml-vulkan.so",
            "install ggml's Vulkan backend (Debian: libggml0-backend-vulkan) or build ggml with -DGGML_VULKAN=ON"
                    + " -DGGML_BACKEND_DL=ON and name its directory with LLAMABOX_GGML_BACKENDS",
            List.of(new Requirement.Library("Vulkan loader", List.of("libvulkan.so.1"),
                            "install the Vulkan loader (Debian: libvulkan1)"),
                    new Requirement.Files("Vulkan driver manifest",
                            List.of("/usr/share/vulkan/icd.d/*.json", "/etc/vulkan/icd.d/*.json",
                                    "/usr/local/share/vulkan/icd.d/*.json"),
                            "install a Vulkan driver: Mesa (mesa-vulkan-drivers) for AMD and Intel, the NVIDIA driver for NVIDIA"),
                    new Requirement.Files("GPU device node", List.of("/dev/dri/renderD*", "/dev/nvidia[0-9]*"),
                            "no GPU is visible (a container needs --device /dev/dri or --gpus all)")));

    /** The provider for this machine, as {@link java.util.ServiceLoader} creates it. */
    public VulkanBackendProvider() {
        this(Host.current());
    }

    VulkanBackendProvider(Host host) {
        super(host, SPEC);
    }
}
