package io.llamabox.backend.probe;

import java.util.List;
import java.util.Set;

/**
 * What one kind of accelerator needs, as data: the platforms it is built for, its ggml plugin and the
 * driver pieces that must be on the host.
 *
 * @param name the backend module's name, e.g. {@code cuda}
 * @param registryName the name ggml registers the backend under, e.g. {@code CUDA}
 * @param product what the user knows it as, e.g. {@code NVIDIA CUDA 12}
 * @param oses the operating systems it runs on, as {@link Host#os()} names them
 * @param archs the architectures it runs on, as {@link Host#arch()} names them
 * @param plugin the plugin's file name, e.g. {@code libggml-cuda.so}
 * @param pluginHint how to get the plugin
 * @param requirements the driver libraries and device files it needs
 */
public record Accelerator(String name, String registryName, String product, Set<String> oses, Set<String> archs,
        String plugin, String pluginHint, List<Requirement> requirements) {
    public Accelerator {
        oses = Set.copyOf(oses);
        archs = Set.copyOf(archs);
        requirements = List.copyOf(requirements);
    }
}
