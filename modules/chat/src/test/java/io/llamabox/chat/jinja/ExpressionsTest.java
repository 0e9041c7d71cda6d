package io.llamabox.chat.jinja;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.llamabox.chat.jinja.Render.render;
import static io.llamabox.chat.jinja.Render.renderJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Literals, operators, precedence, attribute and item access, slicing, undefined values. */
class ExpressionsTest {

    @Test
    void literalsPrintLikePython() {
        assertEquals("1|2.5|1.0|True|False|abc", render("{{ 1 }}|{{ 2.5 }}|{{ 1.0 }}|{{ true }}|{{ False }}|{{ 'abc' }}"));
        assertEquals("[1, 'x', None, True, 2.0]|{'a': [1]}|(1, 2)|(1,)",
                render("{{ [1, 'x', none, true, 2.0] }}|{{ {'a': [1]} }}|{{ (1, 2) }}|{{ (1,) }}"));
        assertEquals("1e+20|1e-05|0.0001|0.30000000000000004|1234567890123456.0",
                render("{{ 1e20 }}|{{ 0.00001 }}|{{ 0.0001 }}|{{ 0.1 + 0.2 }}|{{ 1234567890123456.0 }}"));
    }

    @Test
    void noneAndUndefinedPrintAsNothing() {
        assertEquals("||", render("{{ none }}|{{ missing }}|{{ missing.deeper.still }}"));
    }

    @Test
    void adjacentStringLiteralsConcatenate() {
        assertEquals("ab", render("{{ 'a' \"b\" }}"));
    }

    @Test
    void stringEscapesAreDecoded() {
        assertEquals("a\nb\t'\"\\é", render("{{ 'a\\nb\\t\\'\"\\\\\\u00e9' }}"));
    }

    @Test
    void arithmeticFollowsPython() {
        assertEquals("3.5|3|-4|2|1024|3.0|7|2.5", render("{{ 7 / 2 }}|{{ 7 // 2 }}|{{ -7 // 2 }}|{{ -7 % 3 }}"
                + "|{{ 2 ** 10 }}|{{ 6 / 2 }}|{{ 1 + 2 * 3 }}|{{ 1 + 1.5 }}"));
        assertEquals("xxx|[1, 1]|a-3|a-1", render("{{ 'x' * 3 }}|{{ [1] * 2 }}|{{ '%s-%d' % ('a', 3) }}|{{ '{}-{}'.format('a', 1) }}"));
        assertEquals("inf", render("{{ 1 / 0 }}"));
    }

    @Test
    void plusWithAStringConcatenatesLikeThePeer() {
        assertEquals("ab|a|1a|x['y']", render("{{ 'a' + 'b' }}|{{ 'a' + none }}|{{ 1 + 'a' }}|{{ 'x' + ['y'] }}"));
        assertEquals("a1|x1.0True", render("{{ 'a' ~ 1 ~ none }}|{{ 'x' ~ 1.0 ~ none ~ true }}"));
    }

    @Test
    void comparisonsChainAndMembershipWorksOnStringsListsAndDicts() {
        assertEquals("True|False|True", render("{{ 1 < 2 < 3 }}|{{ 1 < 3 < 2 }}|{{ 1 == 1.0 }}"));
        assertEquals("TrueTrueTrueTrueFalse", render("{{ 'a' in 'cat' }}{{ 1 in [1,2] }}{{ 'k' in {'k':1} }}"
                + "{{ 'z' not in 'cat' }}{{ 'a' in missing }}"));
    }

    @Test
    void logicalOperatorsReturnOperandsAndShortCircuit() {
        assertEquals("x|y|False|0", render("{{ true and 'x' }}|{{ false or 'y' }}|{{ not true }}|{{ 0 and missing() }}"));
    }

    @Test
    void conditionalExpressionWithAndWithoutElse() {
        assertEquals("y||x", render("{{ 'x' if false else 'y' }}|{{ 'x' if false }}|{{ 'x' if 1 }}"));
    }

    @Test
    void filtersBindTighterThanArithmeticAndTestsTighterThanNot() {
        assertEquals("3|True|1", render("{{ 1 + [1, 2] | length }}|{{ not missing is defined }}|{{ -1 | abs }}"));
    }

    @Test
    void attributeAccessPrefersMethodsAndItemAccessPrefersKeys() {
        String data = "{\"d\": {\"items\": 7, \"content\": \"c\"}}";
        assertEquals("c|7|c", renderJson("{{ d.content }}|{{ d['items'] }}|{{ d['content'] }}", data));
        assertEquals("[('items', 7), ('content', 'c')]", renderJson("{{ d.items() }}", data));
    }

    @Test
    void indexingAndSlicingUsePythonRules() {
        assertEquals("b|c|bcd|fedcba|[1, 3]|[2, 3]|[1, 2]", render("{{ 'abc'[1] }}|{{ 'abc'[-1] }}|{{ 'abcdef'[1:4] }}"
                + "|{{ 'abcdef'[::-1] }}|{{ [1,2,3,4][::2] }}|{{ [1,2,3][1:] }}|{{ [1,2,3][:-1] }}"));
        assertEquals("|", render("{{ [1,2][5] }}|{{ {'a': 1}['b'] }}"));
        assertEquals("é|5|él", render("{{ 'é'[0] }}|{{ 'héllo' | length }}|{{ 'héllo'[1:3] }}"));
        assertEquals("😀|1", render("{{ s[0] }}|{{ s | length }}", "s", "😀"));
    }

    @Test
    void undefinedValuesAreFalseEmptyAndIterableAsNothing() {
        assertEquals("F0a", render("{% if missing %}T{% else %}F{% endif %}{{ missing | length }}{{ missing ~ 'a' }}"));
        assertEquals("d", render("{{ missing.x | default('d') }}"));
    }

    @Test
    void globalsRangeDictNamespaceAndStrftime() {
        assertEquals("[0, 1, 2][1, 2, 3][0, 3, 6, 9]", render("{{ range(3) }}{{ range(1, 4) }}{{ range(0, 10, 3) }}"));
        assertEquals("{'a': 1, 'b': 2}|2a", render("{{ dict(a=1, b=2) }}|{% set ns = namespace(x=1, y='a') %}"
                + "{% set ns.x = ns.x + 1 %}{{ ns.x }}{{ ns.y }}"));
        assertEquals("05 Mar 2026 14:07:09|March 5", render("{{ strftime_now('%d %b %Y %H:%M:%S') }}|{{ strftime_now('%B %-d') }}"));
    }

    @Test
    void javaMapsAndListsAreTemplateValues() {
        assertEquals("v", render("{{ m.k }}", "m", Map.of("k", "v")));
    }
}
