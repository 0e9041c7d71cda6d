package io.llamabox.cli;

import io.llamabox.config.BoxSettings;
import java.util.List;
import java.util.Objects;

/** What the command line asks the process to do. */
public sealed interface CommandLineResult {
    /**
     * Serve the HTTP API with these settings. {@code unknownFlags}: each unknown flag that was passed over,
     * with the words skipped with it, for the startup log (none with {@code --strict-args}, which refuses them).
     */
    record Run(BoxSettings settings, List<String> unknownFlags) implements CommandLineResult {
        public Run {
            Objects.requireNonNull(settings, "settings");
            unknownFlags = List.copyOf(unknownFlags);
        }
    }

    /** Serve a device to remote instances ({@code --rpc-server-port} above 0); {@code unknownFlags} as for Run. */
    record RunRpcServer(BoxSettings settings, List<String> unknownFlags) implements CommandLineResult {
        public RunRpcServer {
            Objects.requireNonNull(settings, "settings");
            unknownFlags = List.copyOf(unknownFlags);
        }
    }

    /** Print the buffer types that {@code --override-tensor} can name and exit 0 ({@code --list-buffer-types}). */
    record ListBufferTypes(BoxSettings settings) implements CommandLineResult {
        public ListBufferTypes {
            Objects.requireNonNull(settings, "settings");
        }
    }

    /** Print system information and exit 0 ({@code --system-info}). */
    record SystemInfo(BoxSettings settings) implements CommandLineResult {
        public SystemInfo {
            Objects.requireNonNull(settings, "settings");
        }
    }

    /** Print the available devices and exit 0 ({@code --list-devices}). */
    record ListDevices(BoxSettings settings) implements CommandLineResult {
        public ListDevices {
            Objects.requireNonNull(settings, "settings");
        }
    }

    /**
     * Print {@code text} (it has no final line break) and exit with {@code exitCode}: usage and version go to
     * standard output with 0, errors to standard error with 1.
     */
    record PrintAndExit(String text, int exitCode) implements CommandLineResult {
        public PrintAndExit {
            Objects.requireNonNull(text, "text");
        }

        /** Whether this reports an error (and belongs on standard error). */
        public boolean isError() {
            return exitCode != 0;
        }
    }
}
