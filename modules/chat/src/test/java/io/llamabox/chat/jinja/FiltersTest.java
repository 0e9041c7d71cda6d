package io.llamabox.chat.jinja;

import org.junit.jupiter.api.Test;

import static io.llamabox.chat.jinja.Render.render;
import static io.llamabox.chat.jinja.Render.renderJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Built-in filters, tests ({@code is ...}) and the Python methods of str, list and dict. */
class FiltersTest {

    @Test
    void stringFiltersChangeCaseAndWhitespace() {
        assertEquals("x|HELLO WORLD|hello|Hello World|Hello|a-b", render("{{ '  x  ' | trim }}|{{ 'Hello World' | upper }}"
                + "|{{ 'HeLLo' | lower }}|{{ 'hello world' | title }}|{{ 'hELLO' | capitalize }}|{{ '--a-b--' | trim('-') }}"));
        assertEquals("aXc|bba|3", render("{{ 'abc' | replace('b', 'X') }}|{{ 'aaa' | replace('a', 'b', 2) }}"
                + "|{{ 'a b c' | wordcount }}"));
        assertEquals("&lt;a&gt; &amp; &#39;b&#39;|<a>", render("{{ \"<a> & 'b'\" | e }}|{{ '<a>' | safe }}"));
    }

    @Test
    void indentLeavesTheFirstAndBlankLinesUnlessAsked() {
        assertEquals("a\n  b|  a\n  b|a\n\n    b", render("{{ 'a\\nb' | indent(2) }}|{{ 'a\\nb' | indent(2, true) }}"
                + "|{{ 'a\\n\\nb' | indent(4) }}"));
    }

    @Test
    void defaultReplacesUndefinedAndNoneAndWithBooleanAlsoFalsyValues() {
        assertEquals("abc|d|d|e|0", render("{{ 'abc' | default('d') }}|{{ missing | default('d') }}"
                + "|{{ none | d('d') }}|{{ '' | d('e', true) }}|{{ 0 | default('x') }}"));
    }

    @Test
    void sequenceFiltersSelectMapSortAndGroup() {
        String data = "{\"xs\": [{\"a\": 2, \"n\": \"B\"}, {\"a\": 1, \"n\": \"a\"}, {\"a\": 2, \"n\": \"c\"}]}";
        assertEquals("[2, 1, 2]|[{'a': 1, 'n': 'a'}]|2", renderJson("{{ xs | map(attribute='a') | list }}"
                + "|{{ xs | selectattr('a', 'equalto', 1) | list }}|{{ xs | rejectattr('a', 'eq', 1) | list | length }}", data));
        assertEquals("a,B,c|c,B,a|1,2,2", renderJson("{{ xs | sort(attribute='n') | map(attribute='n') | join(',') }}"
                + "|{{ xs | sort(attribute='n', reverse=true) | map(attribute='n') | join(',') }}"
                + "|{{ xs | map(attribute='a') | sort | join(',') }}", data));
        assertEquals("[1, 3]|[2]|['A', 'B']", render("{{ [1,2,3] | select('odd') | list }}|{{ [1,2,3] | reject('odd') | list }}"
                + "|{{ ['a','b'] | map('upper') | list }}"));
        assertEquals("1:1;2:2;", renderJson("{% for k, items in xs | groupby('a') %}{{ k }}:{{ items | length }};{% endfor %}", data));
    }

    @Test
    void collectionFiltersCountJoinAndReshape() {
        assertEquals("1|2|2|3|1, 2|ab|[3, 2, 1]|[1, 2]", render("{{ [1,2] | first }}|{{ [1,2] | last }}|{{ [1,2] | length }}"
                + "|{{ 'abc' | count }}|{{ [1,2] | join(', ') }}|{{ ['a','b'] | join }}|{{ [1,2,3] | reverse | list }}"
                + "|{{ [1,1,2] | unique | list }}"));
        assertEquals("[[1, 2], [3, 4], [5]]|[[1, 2], [3, 0]]|6|3|1", render("{{ [1,2,3,4,5] | batch(2) | list }}"
                + "|{{ [1,2,3] | batch(2, 0) | list }}|{{ [1,2,3] | sum }}|{{ [3,1] | max }}|{{ [3,1] | min }}"));
        assertEquals("[('a', 1), ('b', 2)]|[('a', 1), ('b', 2)]", render("{{ {'b': 2, 'a': 1} | dictsort }}|{{ {'a': 1, 'b': 2} | items | list }}"));
    }

    @Test
    void sequenceFiltersRefuseStringsLikeThePeer() {
        TemplateException e = org.junit.jupiter.api.Assertions.assertThrows(TemplateException.class,
                () -> render("{{ 'ab' | selectattr('type') | list }}"));
        assertEquals(TemplateException.Kind.RUNTIME, e.kind());
    }

    @Test
    void conversionFiltersParseAndRound() {
        assertEquals("3|42|0|3.0|2.57|2.0|3|1|None|[1]", render("{{ 3.7 | int }}|{{ '42' | int }}|{{ 'x' | int }}"
                + "|{{ 3 | float }}|{{ 2.567 | round(2) }}|{{ 2.5 | round }}|{{ -3 | abs }}|{{ 1 | string }}"
                + "|{{ none | string }}|{{ [1] | string }}"));
        assertEquals("['a\nb', \"it's\"]", render("{{ ['a\\nb', \"it's\"] | string }}"));
    }

    @Test
    void tojsonWritesPythonJsonDumpsOutput() {
        assertEquals("{\"b\": 1, \"a\": [1, 2.5, \"x\", null, true]}",
                render("{{ {'b': 1, 'a': [1, 2.5, 'x', none, true]} | tojson }}"));
        assertEquals("{\n  \"b\": 1,\n  \"a\": [\n    1,\n    {}\n  ]\n}", render("{{ {'b': 1, 'a': [1, {}]} | tojson(indent=2) }}"));
        assertEquals("\"\u00fc\u4e16<>&'\\\"\\n\\u0001\"", render("{{ s | tojson }}", "s", "\u00fc\u4e16<>&'\"\n\u0001"));
        assertEquals("\"\\u00fc\"|{\"a\": 1, \"b\": 2}|{\"a\":1}", render("{{ 'ü' | tojson(ensure_ascii=true) }}"
                + "|{{ {'b': 2, 'a': 1} | tojson(sort_keys=true) }}|{{ {'a': 1} | tojson(separators=(',', ':')) }}"));
        assertEquals("3.0|1e-07|[\"a\", \"b\"]", render("{{ 3.0 | tojson }}|{{ 0.0000001 | tojson }}|{{ ('a', 'b') | tojson }}"));
    }

    @Test
    void testsClassifyValues() {
        assertEquals("TrueTrueTrueTrueFalseTrueTrueFalseTrueTrueTrueTrueTrueTrueFalseTrue",
                render("{{ [1,2] is iterable }}{{ 'a' is iterable }}{{ {} is mapping }}{{ 1 is number }}{{ 1.5 is integer }}"
                        + "{{ 'a' is string }}{{ none is none }}{{ x is defined }}{{ 2 is even }}{{ 3 is odd }}"
                        + "{{ 9 is divisibleby 3 }}{{ [] is sequence }}{{ 'a' is sequence }}{{ true is boolean }}"
                        + "{{ 1 is true }}{{ true is true }}"));
        assertEquals("TrueTrueTrueTrueTrueTrueFalseTrue", render("{{ 10 is divisibleby(5) }}{{ 1 is eq 1 }}{{ 1 is equalto 1 }}"
                + "{{ 1 is ne 2 }}{{ 1 is in [1] }}{{ range is callable }}{{ x is not undefined }}{{ 2 is gt 1 }}"));
    }

    @Test
    void stringMethodsBehaveLikePython() {
        assertEquals("TrueTrue|a|axx|xxa|a+b+c|2|['a', 'bXc']|ABC|2|['x', 'y']",
                render("{{ 'abc'.startswith('a') }}{{ 'abc'.endswith(('x', 'c')) }}|{{ 'xxaxx'.strip('x') }}"
                        + "|{{ 'xxaxx'.lstrip('x') }}|{{ 'xxaxx'.rstrip('x') }}|{{ 'a-b-c'.replace('-', '+') }}"
                        + "|{{ 'abc'.find('c') }}|{{ 'aXbXc'.split('X', 1) }}|{{ 'abc'.upper() }}|{{ 'hello'.count('l') }}"
                        + "|{{ ' x  y '.split() }}"));
        assertEquals("a\nb|Hello World|['a', 'b']|('a', '=', 'b')|007", render("{{ '\\n'.join(['a','b']) }}|{{ 'hello world'.title() }}"
                + "|{{ 'a\\nb'.splitlines() }}|{{ 'a=b'.partition('=') }}|{{ '7'.zfill(3) }}"));
    }

    @Test
    void listAndDictMethodsReadAndChangeValues() {
        assertEquals("[1, 2]2[1]1", render("{% set l = [1] %}{% set _ = l.append(2) %}{{ l }}{{ l.pop() }}{{ l }}{{ [1,2,3].index(2) }}"));
        assertEquals("1z['a'][1][('a', 1)]", render("{{ {'a': 1}.get('a') }}{{ {'a': 1}.get('b', 'z') }}{{ {'a': 1}.keys() }}"
                + "{{ {'a': 1}.values() }}{{ {'a': 1}.items() }}"));
        assertEquals("{'a': 1, 'b': 2}", render("{% set d = {'a': 1} %}{% do d.update({'b': 2}) %}{{ d }}"));
    }
}
