package io.llamabox.testkit.peer;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The TCP ports a process listens on, read from Linux's {@code /proc}: the socket inodes among its open
 * file descriptors matched with the LISTEN entries of {@code /proc/PID/net/tcp} and {@code tcp6}.
 *
 * <p>A peer is started on port 0 and asked afterwards which port the kernel gave it. Choosing a free port
 * first and handing it over races with every other process on the machine, and reading the port from
 * the peer's log depends on a line its asynchronous logger may never write.
 */
public final class ListeningPorts {
    private static final String LISTEN = "0A";

    private ListeningPorts() {
    }

    /** The ports {@code process} listens on now (empty while it has not bound any, or has ended). */
    public static Set<Integer> of(ProcessHandle process) {
        Path proc = Path.of("/proc", String.valueOf(process.pid()));
        Set<Long> sockets = socketInodes(proc.resolve("fd"));
        Set<Integer> ports = new TreeSet<>();
        if (sockets.isEmpty()) {
            return ports;
        }
        for (String table : List.of("tcp", "tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(proc.resolve("net").resolve(table));
            } catch (IOException gone) {
                continue;
            }
            // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ..."
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals(LISTEN) && sockets.contains(Long.parseLong(f[9]))) {
                    String local = f[1];
                    ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    /**
     * Waits until {@code process} listens on exactly one port and returns it.
     *
     * @throws IOException if the process ends first, listens on several ports, or {@code limit} passes (a
     *         guard against a hung process, not a measure of speed)
     */
    public static int awaitOne(Process process, Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Set<Integer> ports = of(process.toHandle());
            if (ports.size() == 1) {
                return ports.iterator().next();
            }
            if (ports.size() > 1) {
                throw new IOException("process " + process.pid() + " listens on several ports: " + ports);
            }
            if (!process.isAlive()) {
                throw new IOException("process " + process.pid() + " ended with " + process.exitValue()
                        + " before it listened on a port");
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("process " + process.pid() + " listened on no port within " + limit);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for process " + process.pid() + " to listen", e);
            }
        }
    }

    private static Set<Long> socketInodes(Path fdDir) {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                if (target.startsWith("socket:[") && target.endsWith("]")) {
                    inodes.add(Long.parseLong(target, 8, target.length() - 1, 10));
                }
            }
        } catch (IOException gone) {
            return Set.of();
        }
        return inodes;
    }
}
