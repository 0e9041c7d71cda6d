package io.llamabox.chat.jinja;

import org.junit.jupiter.api.Test;

import static io.llamabox.chat.jinja.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** trim_blocks, lstrip_blocks and the {@code -} modifiers, as Hugging Face and the peer apply them. */
class WhitespaceControlTest {

    @Test
    void trimBlocksRemovesTheFirstNewlineAfterABlockTag() {
        assertEquals("a\nb\n", render("{% if true %}\na\n{% endif %}\nb\n\n"));
        assertEquals("\n  x", render("{% if true %}\n\n  x{% endif %}"));
    }

    @Test
    void trimBlocksKeepsSpacesBeforeTheNewline() {
        assertEquals("   \nx", render("{% if true %}   \nx{% endif %}"));
    }

    @Test
    void lstripBlocksRemovesIndentationBeforeBlockAndCommentTags() {
        assertEquals("  yes\n  after", render("  {% if true %}\n  yes\n  {% endif %}\n  after"));
        assertEquals("a\n  b", render("a\n  {# note #}\n  b"));
        assertEquals("X  Y\n", render("{% if true %}\nX{% endif %}\n  {% for i in [1] %}\n  Y\n  {% endfor %}\n"));
    }

    @Test
    void lstripBlocksLeavesExpressionTagsAndMidLineBlocksAlone() {
        assertEquals("  x\ny", render("  {{ 'x' }}\n  {% if true %}y{% endif %}"));
        assertEquals("x y", render("{{ 'x' }} {% if true %}y{% endif %}"));
        assertEquals("ab y", render("ab {% if true %}y{% endif %}"));
    }

    @Test
    void minusModifiersStripAllWhitespaceOnTheirSide() {
        assertEquals("a b cdef", render("a  {{- ' b ' -}}  c {#- comment -#} d\n{%- if true -%}\n e \n{%- endif -%}\n f"));
        assertEquals("ab", render("{{ 'a' -}}\n\n  {{- 'b' }}"));
        assertEquals("x", render("{%- if true -%}  \n  x  \n  {%- endif -%}"));
    }

    @Test
    void plusModifierKeepsIndentationAndNewline() {
        assertEquals("  \ny", render("  {%+ if true +%}\ny\n{%- endif %}\n"));
    }

    @Test
    void oneTrailingNewlineOfTheTemplateIsDropped() {
        assertEquals("a\n", render("a\n\n"));
        assertEquals("a", render("{% if true %}a{% else %}b{% endif %}\n"));
    }

    @Test
    void windowsLineEndsBecomeNewlines() {
        assertEquals("a\nbc", render("a\r\nb{% if true %}\r\nc{% endif %}"));
    }

    @Test
    void aSingleCharacterBeforeTheFirstBlockTagIsDroppedLikeThePeerDoes() {
        assertEquals("y", render("x{% if true %}y{% endif %}"));
        assertEquals("b", render("a\t \t{% if true %}b{% endif %}"));
        assertEquals("aby", render("ab{% if true %}y{% endif %}"));
    }

    @Test
    void blockSetAndMacroBodiesFollowTheSameRules() {
        assertEquals("[  A\n]", render("{% set a %}\n  A\n{% endset %}[{{ a }}]"));
        assertEquals("  body\n", render("{% macro m() %}\n  body\n{% endmacro %}{{ m() }}"));
    }
}
