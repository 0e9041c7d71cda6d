package io.llamabox.server.routes;

import io.llamabox.server.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Slot file names from requests: plain names inside {@code --slot-save-path}, never a path that escapes it. */
final class SlotFileNames {
    private SlotFileNames() {
    }

    static Path resolve(Path dir, String name) {
        if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw ApiException.invalid("filename must be 1 to 255 bytes");
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
        Path file = base.resolve(name).normalize();
        if (!file.getParent().equals(base)) {
            throw ApiException.invalid("filename must name a file inside the slot save path");
        }
        return file;
    }
}
