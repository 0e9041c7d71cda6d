package io.llamabox.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * The checksum this server keeps beside each slot file it writes: {@code NAME.crc32c}, one line
 * {@code llama-box-java slot file, bytes=N, crc32c=HHHHHHHH}. The slot file itself stays in llama.cpp's
 * format, so llama-server and llama-box read ours and we read theirs; a file without this sidecar (one of
 * theirs) gets the structural checks only, which cannot see damage inside the cached keys and values.
 */
final class SlotFileChecksum {
    static final String SUFFIX = ".crc32c";
    private static final String PREFIX = "llama-box-java slot file, bytes=";

    private SlotFileChecksum() {
    }

    static Path sidecar(Path file) {
        return file.resolveSibling(file.getFileName() + SUFFIX);
    }

    /** Writes the sidecar of {@code file}, replacing any earlier one in one step. */
    static void write(Path file) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + SUFFIX + ".partial");
        Files.writeString(temp, line(Files.size(file), crc32c(file)) + "\n", StandardCharsets.US_ASCII);
        Files.move(temp, sidecar(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Whether {@code file} has a sidecar; throws naming the fault when it has one that its size or
     * checksum ({@code crc}, of the bytes read) does not match.
     */
    static boolean verify(Path file, long size, long crc) throws IOException {
        Path sidecar = sidecar(file);
        if (!Files.exists(sidecar)) {
            return false;
        }
        String saved = Files.readString(sidecar, StandardCharsets.US_ASCII).strip();
        if (!saved.startsWith(PREFIX) || !saved.contains(", crc32c=")) {
            throw new IllegalArgumentException("the checksum file " + sidecar.getFileName() + " is damaged");
        }
        String expected = line(size, crc);
        if (!saved.equals(expected)) {
            String savedSize = saved.substring(PREFIX.length(), saved.indexOf(",", PREFIX.length()));
            throw new IllegalArgumentException(savedSize.equals(Long.toString(size))
                    ? "the slot file is damaged: its checksum does not match the one saved with it"
                    : "the slot file is damaged: it has " + size + " bytes but was saved with " + savedSize);
        }
        return true;
    }

    private static String line(long size, long crc) {
        return PREFIX + size + ", crc32c=" + HexFormat.of().toHexDigits((int) crc);
    }

    private static long crc32c(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf.clear()) > 0) {
                crc.update(buf.flip());
            }
        }
        return crc.getValue();
    }
}
