package io.llamabox.backend.probe;

import java.util.List;
import java.util.Optional;

/** Something an accelerator needs on the host besides its plugin: a driver library or device files. */
public sealed interface Requirement {
    /** Where it was found, or empty if it is missing. */
    Optional<String> locate(Host host);

    /** One line for a user who lacks it: what is missing and how to get it. */
    String explain(Host host);

    /**
     * A shared library the dynamic linker must find, under any of these file names.
     *
     * @param what what it is, e.g. {@code the NVIDIA driver library}
     * @param fileNames its file names, e.g. {@code libcuda.so.1}
     * @param hint how to get it
     */
    record Library(String what, List<String> fileNames, String hint) implements Requirement {
        public Library {
            fileNames = List.copyOf(fileNames);
        }

        @Override
        public Optional<String> locate(Host host) {
            return fileNames.stream().map(host::findLibrary).flatMap(Optional::stream).findFirst();
        }

        @Override
        public String explain(Host host) {
            return "no " + what + " (" + String.join(" or ", fileNames) + " in " + host.libraryDirectories().size()
                    + " library directories, LD_LIBRARY_PATH included): " + hint;
        }
    }

    /**
     * Files of which at least one must exist: device nodes ({@code /dev/kfd}) or driver files; the last
     * element of a pattern may hold glob characters.
     *
     * @param what what they are, e.g. {@code an NVIDIA GPU device node}
     * @param patterns where they are, e.g. {@code /dev/nvidia[0-9]*}
     * @param hint what provides them
     */
    record Files(String what, List<String> patterns, String hint) implements Requirement {
        public Files {
            patterns = List.copyOf(patterns);
        }

        @Override
        public Optional<String> locate(Host host) {
            List<String> found = patterns.stream().flatMap(p -> host.glob(p).stream()).distinct().toList();
            return found.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", found));
        }

        @Override
        public String explain(Host host) {
            return "no " + what + " (" + String.join(" or ", patterns) + "): " + hint;
        }
    }
}
