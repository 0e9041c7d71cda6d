package io.llamabox.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.mock;

import io.llamabox.server.LoadedModel;
import io.llamabox.spi.TextEngine;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenRateTest {
    private static LoadedModel model(double measured) {
        return new LoadedModel(mock(TextEngine.class), (m, t, g) -> "", measured);
    }

    @Test
    void offIgnoresTheHeader() {
        assertEquals(0, new TokenRate(0).resolve(Optional.of("5"), model(0)));
    }

    @Test
    void aMissingHeaderIsUnpaced() {
        assertEquals(0, new TokenRate(10).resolve(Optional.empty(), model(0)));
    }

    @Test
    void nonPositiveOrNotANumberMeansTheMaximum() {
        TokenRate rate = new TokenRate(10);
        for (String v : new String[] {"0", "-4", "NaN", "abc", ""}) {
            assertEquals(10, rate.resolve(Optional.of(v), model(0)), v);
        }
    }

    @Test
    void aboveTheMaximumIsRefusedWith410() {
        ApiException e = assertThrows(ApiException.class, () -> new TokenRate(10).resolve(Optional.of("10.5"),
                model(0)));
        assertEquals(410, e.kind().status());
        assertEquals(7.5, new TokenRate(10).resolve(Optional.of(" 7.5 "), model(0)));
    }

    @Test
    void detectionUsesTheMeasuredSpeed() {
        assertEquals(30, new TokenRate(-1).resolve(Optional.of("0"), model(30)));
        assertThrows(ApiException.class, () -> new TokenRate(-1).resolve(Optional.of("31"), model(30)));
        assertEquals(0, new TokenRate(-1).resolve(Optional.of("0"), model(0)));
    }
}
