package io.llamabox.testkit.peer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The installed llama.cpp command-line tools (the "peer"): locating them and running them to completion.
 *
 * <p>Tools are looked up in {@code $LLAMABOX_PEER_BIN} if set, then on {@code PATH}, then in
 * {@code /usr/bin}. A missing tool is an error, never a reason to skip.
 */
public final class Peer {

    /** Environment variable naming a directory with the peer tools. */
    public static final String BIN_ENV = "LLAMABOX_PEER_BIN";

    /** Result of running a tool. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** Whether the tool exited with 0. */
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private Peer() {
    }

    /** The path of tool {@code name}, e.g. {@code llama-server}. */
    public static Path executable(String name) {
        List<String> dirs = new ArrayList<>();
        String env = System.getenv(BIN_ENV);
        if (env != null && !env.isBlank()) {
            dirs.add(env);
        }
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.add("/usr/bin");
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException("llama.cpp tool " + name + " not found in $" + BIN_ENV + ", PATH or /usr/bin");
    }

    /**
     * Runs tool {@code name} with {@code args}, standard input closed, and waits for it. The process is
     * killed if it runs longer than {@code timeout}, which is then reported as an exception.
     */
    public static Result run(String name, List<String> args, Duration timeout) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable(name).toString());
        cmd.addAll(args);
        Path out = Files.createTempFile("peer-out-", ".txt");
        Path err = Files.createTempFile("peer-err-", ".txt");
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            boolean done;
            try {
                done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + name, e);
            }
            if (!done) {
                p.destroyForcibly();
                throw new IOException(name + " did not finish within " + timeout + "; stderr:\n" + tail(err, 4000));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static String tail(Path file, int chars) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8);
            return s.length() <= chars ? s : s.substring(s.length() - chars);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
