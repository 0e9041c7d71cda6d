package io.llamabox.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Linux userland other than the build root's (a root file system), in which {@code run-in} starts commands
 * as an unprivileged user with an empty environment.
 *
 * @param name    what the tests call it
 * @param root    its root directory
 * @param options {@code run-in}'s options for every command: the user, the environment, the models, the tarball
 */
record Userland(String name, Path root, List<String> options) {
    private static final Path RUN_IN = Path.of(System.getProperty("llamabox.userland.scripts"), "run-in");

    @Override
    public String toString() {
        return name;
    }

    /** The same userland with more {@code run-in} options. */
    Userland with(String... more) {
        List<String> all = new ArrayList<>(options);
        all.addAll(List.of(more));
        return new Userland(name, root, List.copyOf(all));
    }

    /** Starts {@code command} (a path inside the root) in it, its output going to {@code log}. */
    Process start(Path log, String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(RUN_IN.toString()));
        cmd.addAll(options);
        cmd.add(root.toString());
        cmd.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        return pb.start();
    }

    /** Runs {@code command} in it to its end: its exit status and output. */
    Result run(Path dir, String... command) throws Exception {
        Path log = Files.createTempFile(dir, "run-in", ".log");
        Process p = start(log, command);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "a hang: " + String.join(" ", command));
        return new Result(p.exitValue(), Files.readString(log));
    }

    /**
     * Makes {@code dir} and its files readable by every user (the testkit writes models as 0600 temporary
     * files moved into place), for a server that runs as another user than the test.
     */
    static void shareWithEveryone(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
    }

    /** The version of the userland's own C library, from its {@code getconf}. */
    String glibc(Path dir) throws Exception {
        Result r = run(dir, "/usr/bin/getconf", "GNU_LIBC_VERSION");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().startsWith("glibc "), r.output());
        return r.output().strip().substring("glibc ".length());
    }

    record Result(int status, String output) {
    }
}
