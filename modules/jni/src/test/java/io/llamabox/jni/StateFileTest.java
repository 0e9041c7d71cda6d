package io.llamabox.jni;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restoring a sequence from a damaged state file: cut at every length, and with every word of its header,
 * token list and cells overwritten, it is refused with an {@link IllegalArgumentException} (never a crash,
 * never another exception) and the sequence is left empty; the good file still restores afterwards.
 */
class StateFileTest {
    @TempDir
    Path dir;

    @Test
    void aStateFileCutAnywhereOrWithAnyWordOfItsHeaderDamagedIsRefusedAndLeavesTheSequenceEmpty() throws IOException {
        try (Model m = Fixtures.load(Fixtures.llama());
             Context ctx = new Context(m, ContextParams.text(512, 128, 2, 2));
             Batch batch = Batch.allocate(128)) {
            int[] prompt = m.vocab().tokenize("A prompt kept in a state file", true, false);
            batch.clear();
            for (int i = 0; i < prompt.length; i++) {
                batch.add(prompt[i], i, 0, i == prompt.length - 1);
            }
            assertEquals(0, ctx.decode(batch));
            Path good = dir.resolve("good.bin");
            ctx.saveSequence(good, 0, prompt);
            byte[] bytes = Files.readAllBytes(good);
            ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int cells = 12 + 4 * prompt.length + 4; // header, tokens, stream count; then each stream's cell count
            while (le.getInt(cells) == 0) {
                cells += 4;
            }
            cells += 4;

            for (int cut = 0; cut < bytes.length; cut++) {
                assertRefused(ctx, Arrays.copyOf(bytes, cut), "cut at " + cut);
            }
            assertRefused(ctx, Arrays.copyOf(bytes, bytes.length + 1), "one byte more");
            for (int at = 0; at + 4 <= cells + 12 * prompt.length; at += 4) {
                for (int value : new int[] {-1, Integer.MIN_VALUE, 0x7FFFFFFF, 1 << 20, prompt.length, 513}) {
                    byte[] b = bytes.clone();
                    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
                    if (!Arrays.equals(b, bytes) && !harmless(at, value, prompt, cells, m.vocab().size())) {
                        assertRefused(ctx, b, value + " at " + at);
                    }
                }
            }
            try (StateFile f = read(bytes)) {
                assertArrayEquals(prompt, ctx.restoreSequence(f, 1));
            }
            assertEquals(prompt.length - 1, ctx.maxPosition(1));
        }
    }

    /** A token id that is still in the vocabulary, or the discarded sequence id of a cell. */
    private static boolean harmless(int at, int value, int[] prompt, int cells, int nVocab) {
        boolean token = at >= 12 && at < 12 + 4 * prompt.length;
        boolean seqId = at >= cells && (at - cells) % 12 == 8;
        return (token && value >= 0 && value < nVocab) || seqId;
    }

    private void assertRefused(Context ctx, byte[] content, String what) throws IOException {
        Path f = dir.resolve("damaged.bin");
        Files.write(f, content);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            try (StateFile file = StateFile.read(f, ctx.stateFileBound())) {
                ctx.restoreSequence(file, 1);
            }
        }, what);
        assertEquals(-1, ctx.maxPosition(1), what + " leaves the sequence empty: " + e.getMessage());
    }

    private StateFile read(byte[] content) throws IOException {
        Path f = dir.resolve("good-copy.bin");
        Files.write(f, content);
        return StateFile.read(f, Long.MAX_VALUE);
    }
}
