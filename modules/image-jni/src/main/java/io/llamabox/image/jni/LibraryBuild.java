package io.llamabox.image.jni;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One build of {@code libllamabox-image} and what it needs of the host, read from the descriptor the build writes
 * beside it ({@code libllamabox-image.cpu}: {@code variant}, {@code features} as {@code /proc/cpuinfo} names them,
 * {@code backends}: the GPU backends compiled in, lower case as ggml's CMake options name them).
 *
 * @param library  the library file
 * @param variant  the build's name, e.g. {@code cpu-haswell} or {@code cpu-haswell+cuda}
 * @param features the processor features its ggml was compiled for
 * @param backends the GPU backends compiled in ({@code cuda}, {@code hip}, {@code vulkan}...); empty for a CPU build
 */
record LibraryBuild(Path library, String variant, List<String> features, Set<String> backends) {
    static final String DESCRIPTOR = "libllamabox-image.cpu";

    LibraryBuild {
        features = List.copyOf(features);
        backends = Set.copyOf(backends);
    }

    /** The build at this file; a library without a descriptor is taken to need nothing. */
    static LibraryBuild describe(Path library) {
        Path descriptor = library.resolveSibling(DESCRIPTOR);
        if (!Files.isRegularFile(descriptor)) {
            return new LibraryBuild(library, "undescribed", List.of(), Set.of());
        }
        Properties p = new Properties();
        try (var in = Files.newInputStream(descriptor)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + descriptor, e);
        }
        return new LibraryBuild(library, p.getProperty("variant", "undescribed"), CpuRequirements.words(p.getProperty("features", "")),
                new LinkedHashSet<>(CpuRequirements.words(p.getProperty("backends", "").toLowerCase(Locale.ROOT))));
    }

    /**
     * The builds in a directory: its own library first, then one in each immediate subdirectory (as a runtime image
     * or a build with several variants lays them out), by subdirectory name.
     */
    static List<LibraryBuild> in(Path directory) {
        String file = System.mapLibraryName(DiffusionLibrary.NAME);
        List<LibraryBuild> builds = new ArrayList<>();
        if (Files.isRegularFile(directory.resolve(file))) {
            builds.add(describe(directory.resolve(file)));
        }
        try (Stream<Path> children = Files.list(directory)) {
            children.filter(Files::isDirectory).sorted().map(d -> d.resolve(file)).filter(Files::isRegularFile)
                    .map(LibraryBuild::describe).forEach(builds::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        return builds;
    }

    /** The features this build needs that a processor with these flags lacks; none when the host cannot tell. */
    List<String> missing(Set<String> hostFlags) {
        return CpuRequirements.missing(features, hostFlags);
    }
}
