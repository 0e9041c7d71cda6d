/** The vulkan backend: GPUs through Vulkan. */
module io.llamabox.backend.vulkan {
    requires io.llamabox.backend.probe;

    provides io.llamabox.spi.BackendProvider with io.llamabox.backend.vulkan.VulkanBackendProvider;
}
