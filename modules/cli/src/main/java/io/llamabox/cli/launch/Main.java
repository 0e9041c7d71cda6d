package io.llamabox.cli.launch;

import io.llamabox.cli.BoxCommandLine;
import io.llamabox.cli.CommandLineResult;
import io.llamabox.config.BoxSettings;
import io.llamabox.jni.DeviceInfo;
import io.llamabox.jni.DeviceType;
import io.llamabox.jni.Llama;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code llama-box} process: parse the command line, then serve, serve RPC, or print and exit. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // before anything logs: keep log output alive during shutdown hooks
        System.setProperty("java.util.logging.manager", "io.llamabox.cli.logging.ShutdownSafeLogManager");
        int code;
        try {
            code = run(args);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            code = 1;
        }
        if (code != 0 || !(BoxCommandLine.parse(args) instanceof CommandLineResult.Run)) {
            System.exit(code);
        }
    }

    static int run(String[] args) throws Exception {
        CommandLineResult result = BoxCommandLine.parse(args);
        return switch (result) {
            case CommandLineResult.PrintAndExit p -> {
                (p.isError() ? System.err : System.out).println(p.text());
                yield p.exitCode();
            }
            case CommandLineResult.SystemInfo s -> {
                Logging.configure(s.settings().log());
                systemInfo(System.out);
                yield 0;
            }
            case CommandLineResult.ListDevices l -> {
                Logging.configure(l.settings().log());
                listDevices(Backends.load(l.settings()), System.out);
                yield 0;
            }
            case CommandLineResult.ListBufferTypes l -> {
                Logging.configure(l.settings().log());
                Backends.load(l.settings());
                listBufferTypes(Llama.bufferTypes(), System.out);
                yield 0;
            }
            case CommandLineResult.RunRpcServer r -> {
                Logging.configure(r.settings().log());
                warnUnknown(r.unknownFlags());
                yield RpcServerMode.run(r.settings());
            }
            case CommandLineResult.Run r -> {
                Logging.configure(r.settings().log());
                warnUnknown(r.unknownFlags());
                yield Serve.run(r.settings(), BoxCommandLine.version());
            }
        };
    }

    /**
     * One line per unknown flag that was passed over, as the C++ llama-box says it. The logger is taken here,
     * after main() has chosen the log manager: a static one would create the default manager first.
     */
    private static void warnUnknown(List<String> unknownFlags) {
        Logger log = LoggerFactory.getLogger(Main.class);
        for (String flag : unknownFlags) {
            log.warn("unknown argument ignored: {} (--strict-args refuses unknown flags)", flag);
        }
    }

    static void listBufferTypes(List<String> bufferTypes, PrintStream out) {
        out.println("Available buffer types:");
        bufferTypes.forEach(t -> out.println("  " + t));
    }

    static void systemInfo(PrintStream out) {
        Backends.Loaded backends = Backends.load();
        out.println(BoxCommandLine.versionText());
        out.println("llama.cpp: " + Llama.version());
        out.println("CPU backend: " + cpuBackend(backends));
        printBackends(backends, out);
        out.println("system_info: " + Llama.systemInfo());
    }

    /** Which CPU plugin runs, and which module chose it. */
    static String cpuBackend(Backends.Loaded backends) {
        String file = Llama.backendLibrary("CPU").map(p -> p.getFileName().toString()).orElse("built into ggml");
        return backends.serving("CPU").map(p -> file + " (" + p.name() + ": " + p.detail() + ")").orElse(file);
    }

    static void listDevices(Backends.Loaded backends, PrintStream out) {
        out.println("Available devices:");
        for (DeviceInfo d : Llama.devices()) {
            String origin = backends.serving(d.backend()).map(Backends.Probe::name).orElse(d.backend());
            String plugin = d.type() == DeviceType.CPU
                    ? ", " + Llama.backendLibrary(d.backend()).map(p -> p.getFileName().toString()).orElse("built in")
                    : "";
            out.printf("  %s: %s (%d MiB, %d MiB free) [%s %s%s]%n", d.name(), d.description(), d.memoryTotal() >> 20,
                    d.memoryFree() >> 20, origin, d.type().name().toLowerCase(Locale.ROOT), plugin);
        }
        printBackends(backends, out);
    }

    private static void printBackends(Backends.Loaded backends, PrintStream out) {
        out.println("Backends:");
        for (Backends.Probe p : backends.probes()) {
            out.println("  " + p.name() + ": " + (p.loaded() ? "" : "not loaded: ") + p.detail());
        }
    }

    /** For tests: the settings a command line gives, or null if it only prints. */
    static BoxSettings settings(String[] args) {
        return BoxCommandLine.parse(args) instanceof CommandLineResult.Run r ? r.settings() : null;
    }
}
