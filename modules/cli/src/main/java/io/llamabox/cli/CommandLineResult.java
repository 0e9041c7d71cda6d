package io.llamabox.cli;

import io.llamabox.config.BoxSettings;
import java.util.Objects;

/** What the command line asks the process to do. */
public sealed interface CommandLineResult {
    /** Serve the HTTP API with these settings. */
    record Run(BoxSettings settings) implements CommandLineResult {
        public Run {
            Objects.requireNonNull(settings, "settings");
        }
    }

    /** Serve a device to remote instances ({@code --rpc-server-port} above 0). */
    record RunRpcServer(BoxSettings settings) implements CommandLineResult {
        public RunRpcServer {
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
