package io.llamabox.engine;

import io.llamabox.jni.Context;
import io.llamabox.jni.LlamaException;
import io.llamabox.jni.StateFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slot files: a sequence's cache in llama.cpp's state file format with our checksum beside it (see
 * {@link SlotFileChecksum}). A save is written under a temporary name and moved into place, so a save cut
 * short (a full disk) never leaves a partial file under the name asked for.
 */
final class SlotFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SlotFiles.class);

    private SlotFiles() {
    }

    /** Saves sequence {@code seq} with its {@code tokens}; returns the bytes written. */
    static long save(Context ctx, Path file, int seq, int[] tokens) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".partial");
        try {
            long bytes = ctx.saveSequence(temp, seq, tokens);
            Files.deleteIfExists(SlotFileChecksum.sidecar(file));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            SlotFileChecksum.write(file);
            return bytes;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Restores sequence {@code seq} from {@code file} after checking it (checksum when it has one, then its
     * structure against this model and context); returns the tokens now cached. Throws naming the fault.
     */
    static int[] restore(Context ctx, Path file, int seq) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("there is no slot file named " + file.getFileName());
        }
        try (StateFile bytes = StateFile.read(file, ctx.stateFileBound())) {
            if (!SlotFileChecksum.verify(file, bytes.size(), bytes.crc32c())) {
                LOG.warn("slot file {} has no {} checksum beside it (not written by this server): only its structure"
                        + " is checked", file.getFileName(), SlotFileChecksum.SUFFIX);
            }
            return ctx.restoreSequence(bytes, seq);
        } catch (IllegalArgumentException | LlamaException e) {
            throw new IllegalArgumentException("cannot restore " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }
}
