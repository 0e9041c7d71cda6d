package io.llamabox.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.llamabox.jni.SamplerKind;
import io.llamabox.spi.Sampling;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplersTest {
    private static Sampling sampling(List<String> chain, float topNSigma) {
        Sampling g = Engines.greedy();
        return new Sampling(g.seed(), chain, 0.8f, 0f, 1f, 40, 0.9f, 0.1f, 1f, 0f, 0.1f, 64, 1f, 0f, 0f, 0f, 1.75f,
                2, -1, g.drySequenceBreakers(), 0, 5f, 0.1f, Map.of(), null, false, List.of(), List.of(), 0, topNSigma);
    }

    @Test
    void aTopNSigmaValueAddsTheSamplerAfterThePenaltiesWhereTheChainDoesNotNameIt() {
        var p = Samplers.params(sampling(List.of("penalties", "dry", "top_k", "temperature"), 1.5f), 512);
        assertEquals(List.of(SamplerKind.PENALTIES, SamplerKind.DRY, SamplerKind.TOP_N_SIGMA, SamplerKind.TOP_K,
                SamplerKind.TEMPERATURE), p.order());
        assertEquals(1.5f, p.topNSigma());
    }

    @Test
    void aChainThatNamesTopNSigmaKeepsItsPlaceAndNoValueAddsNothing() {
        var named = Samplers.params(sampling(List.of("top_k", "top_n_sigma", "temperature"), 2f), 512);
        assertEquals(List.of(SamplerKind.TOP_K, SamplerKind.TOP_N_SIGMA, SamplerKind.TEMPERATURE), named.order());
        var off = Samplers.params(sampling(List.of("top_k", "temperature"), -1f), 512);
        assertEquals(List.of(SamplerKind.TOP_K, SamplerKind.TEMPERATURE), off.order());
    }
}
