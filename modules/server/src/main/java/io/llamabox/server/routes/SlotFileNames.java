package io.llamabox.server.routes;

import io.llamabox.server.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Slot file names from requests: plain names inside {@code --slot-save-path}, never a path that escapes it,
 * nor one of the names the engine keeps beside a slot file (its {@code .crc32c} checksum; temporary names
 * start with a dot). Up to 230 bytes, so that those names fit a file system's 255.
 */
final class SlotFileNames {
    private static final int MAX_BYTES = 230;
    private static final String CHECKSUM_SUFFIX = ".crc32c";

    private SlotFileNames() {
    }

    static Path resolve(Path dir, String name) {
        if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw ApiException.invalid("filename must be 1 to " + MAX_BYTES + " bytes");
        }
        if (name.endsWith(CHECKSUM_SUFFIX)) {
            throw ApiException.invalid("filename must not end in " + CHECKSUM_SUFFIX
                    + ": that is the checksum kept beside a slot file");
        }
        if (name.equals(".") || name.equals("..") || name.startsWith(".")) {
            throw ApiException.invalid("filename must not start with a dot");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' || c == '"'
                    || c == '<' || c == '>' || c == '|') {
                throw ApiException.invalid("filename has a character that is not allowed: " + name);
            }
        }
        Path base = dir.toAbsolutePath().normalize();
        Path file;
        try {
            file = base.resolve(name).normalize();
        } catch (InvalidPathException e) {
            // a lone surrogate (found by tools/bench/fuzz) has no encoding in a file name: it was a 500
            throw ApiException.invalid("filename is not a valid file name: " + e.getReason());
        }
        if (!file.getParent().equals(base)) {
            throw ApiException.invalid("filename must name a file inside the slot save path");
        }
        return file;
    }
}
