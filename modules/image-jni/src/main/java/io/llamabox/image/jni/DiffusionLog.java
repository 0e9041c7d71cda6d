package io.llamabox.image.jni;

import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives stable-diffusion.cpp's log lines (and its private ggml's) from native code and writes them to
 * SLF4J under the logger {@code stable-diffusion}.
 */
final class DiffusionLog {
    private static final Logger LOG = LoggerFactory.getLogger("stable-diffusion");

    // sd_log_level_t
    private static final int DEBUG = 0;
    private static final int INFO = 1;
    private static final int WARN = 2;

    private DiffusionLog() {
    }

    /** The lowest level worth sending from native code. */
    static int minimumLevel() {
        return LOG.isDebugEnabled() ? DEBUG : INFO;
    }

    /** Called from native code, on whichever thread logged, once per line. */
    static void emit(int level, byte[] utf8) {
        String line = new String(utf8, StandardCharsets.UTF_8);
        if (level > WARN) {
            LOG.error(line);
        } else if (level == WARN) {
            LOG.warn(line);
        } else if (level == INFO) {
            LOG.info(line);
        } else {
            LOG.debug(line);
        }
    }
}
