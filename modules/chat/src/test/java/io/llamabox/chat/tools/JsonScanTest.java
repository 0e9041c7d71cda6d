package io.llamabox.chat.tools;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where JSON ends in output, read whole and resumed one character at a time. */
class JsonScanTest {
    private record Case(String text, int expected) {
    }

    private static final List<Case> CASES = List.of(
            new Case("{}", 2),
            new Case("[]x", 2),
            new Case("{\"a\": [1, -2.5e+3, true, null, {\"b\": \"c\\\"}\"}]} tail", 46),
            new Case("{\"a\":0}", 7),
            new Case("[0.5,1E2,-0]", 12),
            new Case("{\"u\": \"\\u00e9\\n\"}", 17),
            new Case("{\"a\": 1", JsonScan.INCOMPLETE),
            new Case("[1, 2", JsonScan.INCOMPLETE),
            new Case("{\"a\": \"unterminated", JsonScan.INCOMPLETE),
            new Case("{\"a\": tr", JsonScan.INCOMPLETE),
            new Case("[12", JsonScan.INCOMPLETE),
            new Case("{a: 1}", JsonScan.INVALID),
            new Case("{\"a\" 1}", JsonScan.INVALID),
            new Case("[01]", JsonScan.INVALID),
            new Case("[1,]", JsonScan.INVALID),
            new Case("{\"a\": tru}", JsonScan.INVALID),
            new Case("[\"a\nb\"]", JsonScan.INVALID),
            new Case("[1}", JsonScan.INVALID),
            new Case("\"text\"", JsonScan.INVALID),
            new Case("[\"\\x\"]", JsonScan.INVALID));

    @Test
    void endsAreFoundWholeAndResumed() {
        for (Case c : CASES) {
            assertEquals(c.expected(), JsonScan.container(c.text(), 0), c.text());
            JsonScan resumed = new JsonScan(0);
            int r = JsonScan.INCOMPLETE;
            for (int i = 1; i <= c.text().length() && r == JsonScan.INCOMPLETE; i++) {
                r = resumed.resume(c.text().substring(0, i));
            }
            assertEquals(c.expected(), r, "resumed: " + c.text());
        }
        assertEquals(9, JsonScan.container("xx{\"a\":1}", 2));
    }
}
