package io.llamabox.jni;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives llama.cpp / ggml / mtmd log lines from native code and writes them to SLF4J under the
 * logger {@code llama-cpp}. A thread can also collect the error lines it causes, so that a failed
 * call can say why it failed.
 */
final class NativeLog {
    private static final Logger LOG = LoggerFactory.getLogger("llama-cpp");
    private static final ThreadLocal<List<String>> CAPTURE = new ThreadLocal<>();

    // ggml_log_level values
    private static final int DEBUG = 1;
    private static final int INFO = 2;
    private static final int WARN = 3;
    private static final int ERROR = 4;

    private NativeLog() {
    }

    static void install() {
        Natives.setLogLevel(LOG.isDebugEnabled() ? DEBUG : INFO);
    }

    /** Called from native code, on whichever thread logged, once per complete line. */
    static void emit(int level, byte[] utf8) {
        String line = new String(utf8, StandardCharsets.UTF_8);
        switch (level) {
            case ERROR -> {
                LOG.error(line);
                List<String> sink = CAPTURE.get();
                if (sink != null && sink.size() < 32) {
                    sink.add(line);
                }
            }
            case WARN -> LOG.warn(line);
            case INFO -> LOG.info(line);
            case DEBUG -> LOG.debug(line);
            default -> LOG.trace(line);
        }
    }

    /** Starts collecting this thread's error lines. */
    static void startCapture() {
        CAPTURE.set(new ArrayList<>());
    }

    /** Stops collecting and returns the lines, joined, or an empty string. */
    static String stopCapture() {
        List<String> lines = CAPTURE.get();
        CAPTURE.remove();
        return lines == null ? "" : String.join("; ", lines);
    }
}
