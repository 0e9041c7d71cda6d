package io.llamabox.server.routes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class RerankScoresTest {
    @Test
    void theAnchorsSpanTheRangeAndDocumentsFallLinearlyBetween() {
        double[] out = RerankScores.normalize(new double[] {0.0, 1.0, 2.0}, 3.0, -1.0, false);
        assertArrayEquals(new double[] {0.001 + 0.998 / 4, 0.001 + 2 * 0.998 / 4, 0.001 + 3 * 0.998 / 4}, out, 1e-12);
    }

    @Test
    void aDocumentBeyondAnAnchorStretchesTheRangeSoAllStayInside() {
        double[] out = RerankScores.normalize(new double[] {5.0, 0.0}, 3.0, -1.0, false);
        assertArrayEquals(new double[] {0.999, 0.001 + 0.998 / 6}, out, 1e-12);
    }

    @Test
    void flatScoresAreDividedByTheLargest() {
        double[] out = RerankScores.normalize(new double[] {2.0, 2.0 + 1e-7}, 2.0, 2.0, false);
        assertArrayEquals(new double[] {2.0 / (2.0 + 1e-7), 1.0}, out, 1e-12);
    }

    @Test
    void whenTheBestDocumentIsTheQueryScoresAreDividedByTheLargest() {
        double[] out = RerankScores.normalize(new double[] {4.0, 1.0}, 4.0, -2.0, true);
        assertArrayEquals(new double[] {1.0, 0.25}, out, 1e-12);
    }
}
