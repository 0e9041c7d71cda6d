package io.llamabox.jni;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** UTF-8 conversions at the native boundary. */
final class Text {
    private Text() {
    }

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] utf8(Path p) {
        return utf8(p.toAbsolutePath().toString());
    }

    static String string(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    static byte[][] utf8All(java.util.List<String> values) {
        byte[][] out = new byte[values.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = utf8(values.get(i));
        }
        return out;
    }
}
