package io.llamabox.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextAssemblyTest {
    @Test
    void utf8SequencesSplitAcrossPiecesAreNeverSplitInText() {
        byte[] rocket = "🚀é".getBytes(StandardCharsets.UTF_8);
        Utf8Decoder d = new Utf8Decoder();
        StringBuilder out = new StringBuilder();
        for (byte b : rocket) {
            String s = d.feed(new byte[] {b});
            for (char c : s.toCharArray()) {
                assertEquals(false, Character.isSurrogate(c) && s.length() == 1, "half a surrogate pair: " + s);
            }
            out.append(s);
        }
        assertEquals("🚀é", out + d.flush());
    }

    @Test
    void aCharacterTheOutputEndsInsideIsDroppedNotReplaced() {
        Utf8Decoder d = new Utf8Decoder();
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        assertEquals("a", d.feed(new byte[] {'a', euro[0], euro[1]}));
        assertEquals("", d.flush());
    }

    @Test
    void aStopStringSplitOverTokensIsHeldBackThenCut() {
        StopStrings s = new StopStrings(List.of("STOP"));
        assertEquals("abc ", s.push("abc S"));
        assertEquals("", s.push("T"));
        assertEquals("", s.push("OP and more"));
        assertEquals("STOP", s.matched());
    }

    @Test
    void heldBackTextIsReleasedWhenItIsNotAStop() {
        StopStrings s = new StopStrings(List.of("STOP"));
        assertEquals("x", s.push("xST"));
        assertEquals("STy", s.push("y"));
        assertNull(s.matched());
        assertEquals("ST", "" + s.push("ST") + s.drain());
    }

    @Test
    void theEarliestOfSeveralStopsWins() {
        StopStrings s = new StopStrings(List.of("world", "lo"));
        assertEquals("hel", s.push("hello world"));
        assertEquals("lo", s.matched());
    }
}
