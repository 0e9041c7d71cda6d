package io.llamabox.cli.launch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The loopback TCP ports this process listens on, from Linux's {@code /proc/self}: its socket descriptors'
 * inodes matched with the LISTEN rows of {@code net/tcp} bound to 127.0.0.1. ggml's RPC server is started
 * on port 0 and found here, so no port is chosen before the server binds it (another process could take
 * a port between the choice and the bind).
 */
final class LoopbackListeners {
    private static final Path SELF = Path.of("/proc/self");
    private static final String LOOPBACK = "0100007F";
    private static final String LISTEN = "0A";

    private LoopbackListeners() {
    }

    /** Whether this system can tell (a Linux {@code /proc}). */
    static boolean available() {
        return Files.isReadable(SELF.resolve("net").resolve("tcp"));
    }

    /** The ports bound to 127.0.0.1 and listening, by sockets of this process. */
    static Set<Integer> ports() throws IOException {
        Set<Long> own = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(SELF.resolve("fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                if (target.startsWith("socket:[") && target.endsWith("]")) {
                    own.add(Long.parseLong(target, 8, target.length() - 1, 10));
                }
            }
        }
        Set<Integer> ports = new TreeSet<>();
        List<String> rows = Files.readAllLines(SELF.resolve("net").resolve("tcp"));
        for (String row : rows.subList(Math.min(1, rows.size()), rows.size())) {
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
            String[] f = row.trim().split("\\s+");
            if (f.length > 9 && f[3].equals(LISTEN) && f[1].startsWith(LOOPBACK + ":")
                    && own.contains(Long.parseLong(f[9]))) {
                ports.add(Integer.parseInt(f[1].substring(LOOPBACK.length() + 1), 16));
            }
        }
        return ports;
    }
}
