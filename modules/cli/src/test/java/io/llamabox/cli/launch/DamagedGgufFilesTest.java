package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.testkit.gguf.GgufReader;
import io.llamabox.testkit.model.ControlVectorGenerator;
import io.llamabox.testkit.model.DecoderSpec;
import io.llamabox.testkit.model.LoraGenerator;
import io.llamabox.testkit.model.LoraSpec;
import io.llamabox.testkit.model.TestModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged GGUF files given to {@code -m}, {@code --model-draft}, {@code --lora} and {@code --control-vector}:
 * truncated anywhere, random, and with counts, string lengths, dimensions, types and offsets overwritten
 * across the header. Each either loads (the damage hit bytes nothing reads) or is refused with a message;
 * none may take the JVM down (these tests run in it), and a server started afterwards answers as before.
 */
class DamagedGgufFilesTest {
    @TempDir
    Path dir;

    @Test
    void damagedModelDraftLoraAndControlVectorFilesAreRefusedWithoutACrash() throws Exception {
        Path model = TestModels.llama();
        Path lora = dir.resolve("lora.gguf");
        LoraGenerator.write(LoraSpec.of(DecoderSpec.tinyLlama()), lora);
        Path vector = dir.resolve("vector.gguf");
        ControlVectorGenerator.write(DecoderSpec.tinyLlama().embd(), 5, new int[] {1, 2}, vector);
        String before = answer(model);

        Map<String, Function<Path, String[]>> uses = new LinkedHashMap<>();
        uses.put("-m", f -> new String[] {"-m", f.toString()});
        uses.put("-md", f -> new String[] {"-m", model.toString(), "-md", f.toString()});
        uses.put("--lora", f -> new String[] {"-m", model.toString(), "--lora", f.toString()});
        uses.put("--control-vector", f -> new String[] {"-m", model.toString(), "--control-vector", f.toString()});
        Map<String, Path> originals = Map.of("-m", model, "-md", model, "--lora", lora, "--control-vector", vector);
        StringBuilder summary = new StringBuilder("damaged GGUF files:");
        for (var use : uses.entrySet()) {
            int refused = 0;
            Path original = originals.get(use.getKey());
            byte[] good = Files.readAllBytes(original);
            int n = 0;
            for (byte[] bad : damaged(good, GgufReader.read(original).dataOffset())) {
                Path f = dir.resolve("damaged-" + n++ + ".gguf");
                Files.write(f, bad);
                String[] args = withContext(use.getValue().apply(f));
                try (ModelEngines engines = ModelEngines.load(Main.settings(args), null)) {
                    assertTrue(engines != null);
                } catch (RuntimeException e) {
                    refused++;
                    assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), use.getKey() + " " + f + ": " + e);
                    assertFalse(e instanceof NullPointerException || e instanceof ArrayIndexOutOfBoundsException
                            || e instanceof IllegalStateException, use.getKey() + " " + f + ": " + e);
                }
                Files.delete(f);
            }
            assertTrue(refused > 0, use.getKey());
            summary.append(' ').append(use.getKey()).append(' ').append(refused).append(" of ").append(n).append(" refused;");
        }
        System.out.println(summary);
        assertEquals(before, answer(model), "a server started afterwards answers as before");
    }

    private static String[] withContext(String[] args) {
        String[] out = Arrays.copyOf(args, args.length + 4);
        System.arraycopy(new String[] {"-c", "256", "-np", "1"}, 0, out, args.length, 4);
        return out;
    }

    private static String answer(Path model) throws Exception {
        try (RunningBox box = new RunningBox("-m", model.toString(), "-c", "256", "-np", "1")) {
            String body = box.post("/completion", "{\"prompt\":\"Once upon a time\",\"n_predict\":8,\"temperature\":0}")
                    .body();
            return JsonSchemas.parse(body, "completion").get("content").asText();
        }
    }

    private static byte[] overwrite(byte[] good, int at, long value) {
        byte[] b = good.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, value);
        return b;
    }

    /** Truncations, random bytes, and 0xFF.. or 0x7F.. written over the header's words. */
    static List<byte[]> damaged(byte[] good, long dataOffset) {
        List<byte[]> out = new java.util.ArrayList<>();
        for (int cut : new int[] {0, 3, 4, 7, 8, 15, 16, 23, 24, 40, 100, good.length / 8, good.length / 2,
                good.length - 1}) {
            out.add(Arrays.copyOf(good, Math.min(cut, good.length)));
        }
        byte[] random = new byte[good.length];
        new Random(7).nextBytes(random);
        out.add(random);
        byte[] magicThenRandom = random.clone();
        System.arraycopy(good, 0, magicThenRandom, 0, 8);
        out.add(magicThenRandom);
        // the counts and first lengths, then the tensor infos (names, dimensions, types, offsets) before the data
        for (int at = 4; at < 64; at += 4) {
            out.add(overwrite(good, at, 0x7FFFFFFFL));
            out.add(overwrite(good, at, -1L));
        }
        for (long at = Math.max(64, dataOffset - 2048); at + 8 <= dataOffset; at += 41) {
            out.add(overwrite(good, (int) at, -1L));
        }
        return out;
    }
}
