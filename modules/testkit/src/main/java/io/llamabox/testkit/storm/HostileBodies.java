package io.llamabox.testkit.storm;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Request bodies a server must refuse with a 4xx and survive: each a name and a generator of bytes from a
 * seeded random source, so that a storm can be repeated exactly.
 */
public final class HostileBodies {
    /**
     * One kind of hostile body.
     *
     * @param declaredLength the {@code Content-Length} sent, or -1 for the body's own length
     */
    public record Kind(String name, Function<Random, byte[]> body, long declaredLength) {
        Kind(String name, Function<Random, byte[]> body) {
            this(name, body, -1);
        }
    }

    private static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    private HostileBodies() {
    }

    /**
     * The kinds; the oversized body declares {@code oversizedBytes} and sends its first mebibyte only, as a
     * server must refuse it from its length.
     */
    public static List<Kind> all(long oversizedBytes) {
        return List.of(
                new Kind("random bytes", r -> {
                    byte[] b = new byte[1 + r.nextInt(2048)];
                    r.nextBytes(b);
                    return b;
                }),
                new Kind("truncated JSON", r -> {
                    String full = CHAT + ",\"max_tokens\":8,\"temperature\":0.5}";
                    return utf8(full.substring(0, 1 + r.nextInt(full.length() - 1)));
                }),
                new Kind("wrong types", r -> utf8(List.of(
                        "{\"messages\":42}", "{\"messages\":[{\"role\":7,\"content\":[1,2]}]}",
                        CHAT + ",\"max_tokens\":\"many\"}", CHAT + ",\"stop\":{\"a\":1}}", "[]", "null",
                        "{\"prompt\":{\"x\":true}}", CHAT + ",\"n\":[]}").get(r.nextInt(8)))),
                new Kind("huge numbers", r -> utf8(List.of(
                        CHAT + ",\"max_tokens\":1e309}", CHAT + ",\"n\":99999999999}",
                        CHAT + ",\"temperature\":-1e308}", CHAT + ",\"top_k\":-9223372036854775809}",
                        CHAT + ",\"logprobs\":true,\"top_logprobs\":100000}",
                        CHAT + ",\"seed\":1" + "0".repeat(400) + "}").get(r.nextInt(6)))),
                new Kind("invalid UTF-8", r -> {
                    byte[] head = utf8("{\"messages\":[{\"role\":\"user\",\"content\":\"");
                    byte[] bad = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xED, (byte) 0xA0, (byte) 0x80};
                    byte[] tail = utf8("\"}]}");
                    byte[] out = new byte[head.length + bad.length + tail.length];
                    System.arraycopy(head, 0, out, 0, head.length);
                    System.arraycopy(bad, 0, out, head.length, bad.length);
                    System.arraycopy(tail, 0, out, head.length + bad.length, tail.length);
                    return out;
                }),
                new Kind("bad schema", r -> utf8(List.of(
                        CHAT + ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"schema\":"
                                + "{\"type\":12}}}}",
                        CHAT + ",\"response_format\":{\"type\":\"json_object\",\"schema\":{\"$ref\":\"#/nope\"}}}",
                        CHAT + ",\"json_schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"pattern\":\"(\"}}}}")
                        .get(r.nextInt(3)))),
                new Kind("bad grammar", r -> utf8(List.of(CHAT + ",\"grammar\":\"root ::= (\"}",
                        CHAT + ",\"grammar\":\"root ::= undefined-rule\"}", CHAT + ",\"grammar\":\"\"}")
                        .get(r.nextInt(3)))),
                new Kind("bad image", r -> utf8("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                        + "\"image_url\":{\"url\":\"data:image/png;base64,"
                        + List.of("AAAA", "%%%", "iVBORw0KGgo=").get(r.nextInt(3)) + "\"}}]}]}")),
                new Kind("bad tools", r -> utf8(List.of(
                        CHAT + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":42}}]}",
                        CHAT + ",\"tools\":\"all\"}",
                        CHAT + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":"
                                + "{\"type\":\"nope\"}}}],\"tool_choice\":\"required\"}").get(r.nextInt(3)))),
                new Kind("oversized body", r -> {
                    byte[] b = new byte[1 << 20];
                    Arrays.fill(b, (byte) ' ');
                    return b;
                }, oversizedBytes));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
