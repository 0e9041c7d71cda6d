package io.llamabox.cli.launch;

import io.llamabox.cli.BoxCommandLine;
import io.llamabox.cli.CommandLineResult;
import io.llamabox.config.BoxSettings;
import io.llamabox.jni.DeviceInfo;
import io.llamabox.jni.Llama;
import java.io.PrintStream;
import java.util.List;

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
                Backends.load();
                listDevices(System.out);
                yield 0;
            }
            case CommandLineResult.RunRpcServer r -> {
                System.err.println("error: RPC server mode (--rpc-server-port) is not available in this build yet");
                yield 1;
            }
            case CommandLineResult.Run r -> {
                Logging.configure(r.settings().log());
                yield Serve.run(r.settings(), BoxCommandLine.version());
            }
        };
    }

    static void systemInfo(PrintStream out) {
        List<Backends.Probe> probes = Backends.load();
        out.println(BoxCommandLine.versionText());
        out.println("llama.cpp: " + Llama.version());
        for (Backends.Probe p : probes) {
            out.println("backend " + p.name() + ": " + (p.loaded() ? "" : "not used: ") + p.detail());
        }
        out.println("system_info: " + Llama.systemInfo());
    }

    static void listDevices(PrintStream out) {
        out.println("Available devices:");
        for (DeviceInfo d : Llama.devices()) {
            out.printf("  %s: %s (%d MiB, %d MiB free) [%s, %s]%n", d.name(), d.description(), d.memoryTotal() >> 20,
                    d.memoryFree() >> 20, d.backend(), d.type().name().toLowerCase());
        }
    }

    /** For tests: the settings a command line gives, or null if it only prints. */
    static BoxSettings settings(String[] args) {
        return BoxCommandLine.parse(args) instanceof CommandLineResult.Run r ? r.settings() : null;
    }
}
