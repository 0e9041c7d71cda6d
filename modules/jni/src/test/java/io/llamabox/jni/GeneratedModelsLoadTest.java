package io.llamabox.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.testkit.model.DecoderSpec;
import io.llamabox.testkit.model.EncoderSpec;
import io.llamabox.testkit.model.Pooling;
import org.junit.jupiter.api.Test;

class GeneratedModelsLoadTest {
    @Test
    void llamaDecoderLoadsWithTheMetadataThatWasWritten() {
        DecoderSpec spec = DecoderSpec.tinyLlama();
        try (Model m = Fixtures.load(Fixtures.llama())) {
            ModelInfo info = m.info();
            assertEquals("llama", info.architecture());
            assertEquals(spec.embd(), info.nEmbd());
            assertEquals(spec.layers(), info.nLayer());
            assertEquals(spec.heads(), info.nHead());
            assertEquals(spec.kvHeads(), info.nHeadKv());
            assertEquals(spec.ctx(), info.nCtxTrain());
            assertEquals(m.vocab().size(), info.nVocab());
            assertTrue(info.parameterCount() > 0);
            assertTrue(info.sizeBytes() > 0);
            assertEquals("llama", m.metadata().get("general.architecture"));
            String template = m.chatTemplate(null);
            assertTrue(template != null && template.contains("im_start"), "chat template read back: " + template);
            assertNotEquals(Vocab.NULL_TOKEN, m.vocab().bos());
            assertTrue(m.vocab().isEndOfGeneration(m.vocab().eos()));
        }
    }

    @Test
    void qwen2DecoderLoads() {
        try (Model m = Fixtures.load(Fixtures.qwen2())) {
            assertEquals("qwen2", m.info().architecture());
            assertTrue(m.info().hasDecoder());
        }
    }

    @Test
    void embeddingAndRerankModelsLoadWithTheirPooling() {
        try (Model m = Fixtures.load(Fixtures.embedding(Pooling.MEAN))) {
            assertEquals("bert", m.info().architecture());
            assertEquals("1", m.metadata().get("bert.pooling_type"));
            assertEquals(EncoderSpec.tinyEmbedding().embd(), m.info().nEmbd());
        }
        try (Model m = Fixtures.load(Fixtures.reranker())) {
            assertEquals("4", m.metadata().get("bert.pooling_type"));
            assertTrue(m.info().nClassifierOutputs() >= 1);
        }
    }

    @Test
    void devicesIncludeTheCpu() {
        Fixtures.backends();
        assertTrue(Llama.devices().stream().anyMatch(d -> d.type() == DeviceType.CPU), Llama.devices().toString());
        assertFalse(Llama.version().isBlank());
        assertTrue(Llama.systemInfo().contains("CPU"), Llama.systemInfo());
    }
}
