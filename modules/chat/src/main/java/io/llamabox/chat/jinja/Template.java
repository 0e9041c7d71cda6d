package io.llamabox.chat.jinja;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A parsed Jinja template, with the semantics Hugging Face chat templates are written for (trim_blocks and
 * lstrip_blocks on; see {@link Lexer}). Parse once, render many times; a template is immutable and may be
 * rendered from several threads at once.
 *
 * <pre>{@code
 * Template t = Template.parse("{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}");
 * String out = t.render(Map.of("messages", List.of(Map.of("role", "user", "content", "hi"))));
 * }</pre>
 */
public final class Template {

    private final String source;
    private final List<Node> body;

    private Template(String source, List<Node> body) {
        this.source = source;
        this.body = body;
    }

    /** Parses {@code source}; a {@link TemplateException} of kind SYNTAX describes what is wrong and where. */
    public static Template parse(String source) {
        Objects.requireNonNull(source, "source");
        String normalized = Lexer.normalize(source);
        return new Template(normalized, Parser.parse(normalized));
    }

    /** Renders with {@code context} as the global variables; {@code strftime_now} reads the system clock. */
    public String render(Map<String, Object> context) {
        return render(context, ZonedDateTime::now, null);
    }

    /**
     * Renders with {@code context} as the global variables (values as described in {@link Json#fromJson}).
     *
     * @param clock   the time {@code strftime_now} formats
     * @param tracker observes which values the render reads; null for none
     */
    public String render(Map<String, Object> context, Supplier<ZonedDateTime> clock, UsageTracker tracker) {
        return new Renderer(source, clock, tracker).render(body, context);
    }
}
