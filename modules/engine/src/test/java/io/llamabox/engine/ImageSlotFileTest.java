package io.llamabox.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.spi.EngineException;
import io.llamabox.spi.MediaPrompt;
import io.llamabox.testkit.model.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A slot holding an image's embeddings cannot be saved, says why, and is usable again after an erase. */
class ImageSlotFileTest {
    @Test
    void savingASlotThatHoldsAnImageIsRefusedClearly(@TempDir Path dir) throws Exception {
        try (LlamaTextEngine e = Engines.llama(1, 512)) {
            e.attachProjector(VisionConfig.of(TestModels.projector(), 2));
            String text = "<|im_start|>user\n" + e.imageMarker() + "Describe it.<|im_end|>\n<|im_start|>assistant\n";
            try (MediaPrompt media = e.tokenize(text, List.of(TestImages.prompt(TestImages.png(64, 64, 2))))) {
                Collector c = new Collector();
                e.submit(Engines.request(media.tokens(), 4, List.of(), 0), media, c);
                c.await();
            }
            Path file = dir.resolve("slot0.bin");
            ExecutionException x = assertThrows(ExecutionException.class, () -> e.saveSlot(0, file).get());
            EngineException cause = assertInstanceOf(EngineException.class, x.getCause());
            assertEquals(EngineException.Kind.INVALID_REQUEST, cause.kind());
            assertTrue(cause.getMessage().contains("image"), cause.getMessage());
            assertFalse(Files.exists(file), "no partial file");

            e.eraseSlot(0).get();
            Collector c = new Collector();
            e.submit(Engines.request(e.tokenize("Once upon a time", true, true), 4, List.of(), 0), c);
            c.await();
            assertTrue(e.saveSlot(0, file).get().tokens() > 0);
        }
    }
}
