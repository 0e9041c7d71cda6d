package io.llamabox.chat;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Capability detection on small templates; each expectation is what the peer reports for the same
 * template in {@code chat_template_caps} of {@code GET /props}.
 */
class CapabilityProbeTest {

    private static TemplateCapabilities caps(String template) {
        return ChatTemplate.jinja(template, SpecialTokens.NONE).capabilities();
    }

    private static String content(String template) {
        TemplateCapabilities c = caps("{% for m in messages %}" + template + "{% endfor %}");
        return (c.stringContent() ? "string" : "") + (c.typedContent() ? "+typed" : "");
    }

    @Test
    void printingContentMeansStringContentOnly() {
        assertEquals("string", content("{{ m.content }}"));
        assertEquals("string", content("{{ m.content | trim }}"));
        assertEquals("string", content("{% if m.content is string %}{{ m.content }}{% endif %}"));
    }

    @Test
    void readingPartsWhenContentIsNotAStringAddsTypedContent() {
        assertEquals("string+typed", content("{% if m.content is string %}{{ m.content }}{% else %}"
                + "{% for p in m.content %}{{ p.text }}{% endfor %}{% endif %}"));
        assertEquals("string+typed", content("{{ m.content if m.content is string else m.content[0].text }}"));
    }

    @Test
    void partsReadingThatFailsDoesNotCount() {
        assertEquals("string", content("{% if m.content is string %}{{ m.content }}{% else %}"
                + "{% for p in m.content %}{{ p.text }}{% endfor %}{{ raise_exception('x') }}{% endif %}"));
    }

    @Test
    void treatingEveryContentAsPartsMeansTypedContentOnly() {
        assertEquals("+typed", content("{% for p in m.content %}{{ p.text }}{% endfor %}"));
        assertEquals("+typed", content("{{ m.content[0] }}"));
        assertEquals("+typed", content("{% for p in m.content | selectattr('type', 'equalto', 'text') %}{{ p.text }}{% endfor %}"));
    }

    @Test
    void aSystemRoleIsSupportedWhenItsContentIsRead() {
        assertEquals(true, caps("{% for m in messages %}{{ m.content }}{% endfor %}").systemRole());
        assertEquals(false, caps("{% for m in messages %}{% if m.role != 'system' %}{{ m.content }}{% endif %}{% endfor %}")
                .systemRole());
    }

    @Test
    void toolCapabilitiesFollowWhatTheTemplateReads() {
        TemplateCapabilities none = caps("{% for m in messages %}{{ m.content }}{% endfor %}");
        assertEquals(false, none.tools());
        assertEquals(false, none.toolCalls());
        assertEquals(false, none.parallelToolCalls());

        TemplateCapabilities full = caps("{% for t in tools %}{{ t.function.name }}{% endfor %}{% for m in messages %}"
                + "{% for c in m.tool_calls %}{{ c.function.name }}{{ c.function.arguments | tojson }}{% endfor %}{% endfor %}");
        assertEquals(new TemplateCapabilities(true, false, false, true, true, true, true), full);

        TemplateCapabilities firstCallOnly = caps("{% for m in messages %}{{ m.content }}{% if m.tool_calls %}"
                + "{{ m.tool_calls[0].function.name }}{{ m.tool_calls[0].function.arguments }}{% endif %}{% endfor %}");
        assertEquals(true, firstCallOnly.toolCalls());
        assertEquals(false, firstCallOnly.parallelToolCalls());
        assertEquals(false, firstCallOnly.objectArguments());
    }
}
