package io.llamabox.chat.jinja;

import org.junit.jupiter.api.Test;

import static io.llamabox.chat.jinja.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Syntax errors are found when parsing, runtime errors when rendering; both say where. */
class ErrorsTest {

    private static TemplateException parseError(String source) {
        return assertThrows(TemplateException.class, () -> Template.parse(source));
    }

    private static TemplateException renderError(String source) {
        Template t = Template.parse(source);
        return assertThrows(TemplateException.class, () -> t.render(java.util.Map.of()));
    }

    @Test
    void unclosedBlockIsASyntaxErrorNamingTheMissingTag() {
        TemplateException e = parseError("{% if true %}\nabc");
        assertEquals(TemplateException.Kind.SYNTAX, e.kind());
        assertTrue(e.getMessage().contains("'endif'"), e.getMessage());
    }

    @Test
    void syntaxErrorsCarryLineAndColumn() {
        TemplateException e = parseError("line one\n  {{ 1 + }}");
        assertEquals(2, e.line());
        assertTrue(e.column() > 1);
        assertTrue(e.getMessage().startsWith("template syntax error at line 2"), e.getMessage());
    }

    @Test
    void unterminatedTagsStringsAndCommentsAreSyntaxErrors() {
        assertEquals(TemplateException.Kind.SYNTAX, parseError("{{ 'abc }}").kind());
        assertEquals(TemplateException.Kind.SYNTAX, parseError("{{ x ").kind());
        assertEquals(TemplateException.Kind.SYNTAX, parseError("{# never closed").kind());
        assertEquals(TemplateException.Kind.SYNTAX, parseError("{% endfor %}").kind());
        assertEquals(TemplateException.Kind.SYNTAX, parseError("{% include 'x' %}").kind());
    }

    @Test
    void raiseExceptionRefusesWithTheTemplatesMessage() {
        TemplateException e = renderError("a\n{{ raise_exception('Conversation roles must alternate') }}");
        assertEquals(TemplateException.Kind.RAISED, e.kind());
        assertEquals("Conversation roles must alternate", e.getMessage());
        assertEquals("Conversation roles must alternate", e.detail());
        assertEquals(2, e.line());
    }

    @Test
    void raiseExceptionInsideAMacroIsStillRaised() {
        TemplateException e = renderError("{% macro m() %}{{ raise_exception('no') }}{% endmacro %}{{ m() }}");
        assertEquals(TemplateException.Kind.RAISED, e.kind());
    }

    @Test
    void unknownFiltersFailOnlyWhenUsed() {
        assertEquals("ok", render("{% if false %}{{ x | no_such_filter }}{% endif %}ok"));
        TemplateException e = renderError("{{ 'x' | no_such_filter }}");
        assertEquals(TemplateException.Kind.RUNTIME, e.kind());
        assertTrue(e.getMessage().contains("no_such_filter"), e.getMessage());
    }

    @Test
    void callingSomethingUndefinedIsARuntimeError() {
        TemplateException e = renderError("{{ missing_function() }}");
        assertEquals(TemplateException.Kind.RUNTIME, e.kind());
        assertTrue(e.getMessage().contains("'missing_function' is undefined"), e.getMessage());
        assertTrue(renderError("{{ loop.cycle(1) }}").getMessage().contains("undefined"));
    }

    @Test
    void typeErrorsAreRuntimeErrors() {
        assertTrue(renderError("{{ 1 - 'a' }}").getMessage().contains("unsupported operand"));
        assertTrue(renderError("{{ missing + 1 }}").getMessage().contains("'missing' is undefined"));
        assertTrue(renderError("{{ none | length }}").getMessage().contains("has no len()"));
        assertTrue(renderError("{{ missing | tojson }}").getMessage().contains("not JSON serializable"));
        assertTrue(renderError("{% for c in 'abc' %}{% endfor %}").getMessage().contains("cannot loop over"));
    }

    @Test
    void runawayMacroRecursionIsStopped() {
        TemplateException e = renderError("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}");
        assertTrue(e.getMessage().contains("recursed"), e.getMessage());
    }

    @Test
    void breakOutsideALoopIsAnError() {
        assertEquals(TemplateException.Kind.RUNTIME, renderError("{% break %}").kind());
    }
}
