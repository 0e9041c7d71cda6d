package io.llamabox.image.jni;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which build of the image library this process loads: of those whose processor features this host has, one built
 * for an accelerator backend that the process uses, else a CPU-only one, and of those the one with the most
 * processor features (the fastest kernels this processor can run); where the host does not tell its features, the
 * first one found (the directory's own library, its default build).
 */
final class LibraryChoice {
    private LibraryChoice() {
    }

    /**
     * @param builds       the builds found, in the order they were found (earlier wins a tie)
     * @param hostFlags    this processor's flags ({@code /proc/cpuinfo}); empty when the host cannot tell
     * @param accelerators the ggml backends the process uses, as ggml registers them ({@code CUDA}, {@code ROCm},
     *                     {@code Vulkan}...)
     * @throws UnsatisfiedLinkError when there is no build, or none this processor can run, naming what each lacks
     */
    static LibraryBuild choose(List<LibraryBuild> builds, Set<String> hostFlags, Set<String> accelerators) {
        if (builds.isEmpty()) {
            throw new UnsatisfiedLinkError("no " + System.mapLibraryName(DiffusionLibrary.NAME) + " was found");
        }
        Set<String> wanted = accelerators.stream().map(LibraryChoice::buildName).collect(Collectors.toSet());
        List<LibraryBuild> runnable = builds.stream().filter(b -> b.missing(hostFlags).isEmpty()).toList();
        if (runnable.isEmpty()) {
            throw new UnsatisfiedLinkError("no build of the image library runs on this processor: " + builds.stream()
                    .map(b -> b.variant() + " (" + b.library() + ") needs " + String.join(" ", b.missing(hostFlags)))
                    .collect(Collectors.joining("; "))
                    + ". Build one for this processor, for example with -Dllamabox.image.cpu.variant=x64");
        }
        Comparator<LibraryBuild> best = Comparator.comparingInt((LibraryBuild b) ->
                b.backends().stream().anyMatch(wanted::contains) ? 0 : b.backends().isEmpty() ? 1 : 2);
        if (!hostFlags.isEmpty()) {
            // a host that cannot tell its features keeps the order found: the default build comes first
            best = best.thenComparing(Comparator.comparingInt((LibraryBuild b) -> b.features().size()).reversed());
        }
        return runnable.stream().sorted(best).findFirst().orElseThrow();
    }

    /** A ggml registry name as the image build's CMake option names that backend. */
    private static String buildName(String registryName) {
        String lower = registryName.toLowerCase(Locale.ROOT);
        return lower.equals("rocm") ? "hip" : lower;
    }
}
