package io.llamabox.chat.jinja;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.llamabox.chat.jinja.Render.render;
import static io.llamabox.chat.jinja.Render.renderJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Statements: if, for and its loop variable, set, namespace, macro, call, filter, with, generation, raw. */
class StatementsTest {

    @Test
    void ifElifElsePicksTheFirstTrueBranch() {
        String t = "{% if x > 2 %}big{% elif x > 0 %}small{% else %}none{% endif %}";
        assertEquals("big", render(t, "x", 3L));
        assertEquals("small", render(t, "x", 1L));
        assertEquals("none", render(t, "x", 0L));
    }

    @Test
    void loopVariableDescribesThePosition() {
        assertEquals("1TrueFalse33,2FalseFalse32,3FalseTrue31,",
                render("{% for x in [1,2,3] %}{{ loop.index }}{{ loop.first }}{{ loop.last }}{{ loop.length }}"
                        + "{{ loop.revindex }},{% endfor %}"));
        assertEquals("0:-:b|1:a:c|2:b:-|",
                render("{% for x in ['a','b','c'] %}{{ loop.index0 }}:{{ loop.previtem | default('-') }}:"
                        + "{{ loop.nextitem | default('-') }}|{% endfor %}"));
    }

    @Test
    void loopCycleAlternatesItsArguments() {
        assertEquals("odd even odd ", render("{% for i in range(3) %}{{ loop.cycle('odd', 'even') }} {% endfor %}"));
    }

    @Test
    void loopFilterSkipsItemsAndCountsOnlyTheRest() {
        assertEquals("1:2/2,2:3/2,", render("{% for x in [1,2,3] if x > 1 %}{{ loop.index }}:{{ x }}/{{ loop.length }},{% endfor %}"));
    }

    @Test
    void loopElseRunsWhenNothingIsIterated() {
        assertEquals("empty", render("{% for x in [] %}a{% else %}empty{% endfor %}"));
        assertEquals("empty", render("{% for x in [1, 2] if x > 5 %}a{% else %}empty{% endfor %}"));
        assertEquals("", render("{% for x in missing %}a{% endfor %}"));
    }

    @Test
    void breakAndContinueControlTheLoop() {
        assertEquals("13", render("{% for x in [1,2,3,4] %}{% if x == 2 %}{% continue %}{% endif %}"
                + "{% if x == 4 %}{% break %}{% endif %}{{ x }}{% endfor %}"));
    }

    @Test
    void tuplesUnpackInLoopsAndDictionaryItemsIterateInOrder() {
        assertEquals("a=1;b=2;", render("{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }};{% endfor %}"));
        assertEquals("a;b;", render("{% for k in {'a': 1, 'b': 2} %}{{ k }};{% endfor %}"));
        assertEquals("a=1;", render("{% for k, v in d | items %}{{ k }}={{ v }};{% endfor %}",
                "d", new java.util.LinkedHashMap<>(Map.of("a", 1L))));
        assertEquals("1-2", render("{% set a, b = 1, 2 %}{{ a }}-{{ b }}"));
    }

    @Test
    void setInsideALoopDoesNotLeakButNamespaceAttributesDo() {
        assertEquals("outer", render("{% set x = 'outer' %}{% for i in [1] %}{% set x = 'inner' %}{% endfor %}{{ x }}"));
        assertEquals("3", render("{% set ns = namespace(total=0) %}{% for i in [1, 2] %}"
                + "{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }}"));
        assertEquals("inner", render("{% set x = 'outer' %}{% if true %}{% set x = 'inner' %}{% endif %}{{ x }}"));
    }

    @Test
    void blockSetCapturesRenderedTextAndAppliesFilters() {
        assertEquals("[block1]", render("{% set x %}block{{ 1 }}{% endset %}[{{ x }}]"));
        assertEquals("HI", render("{% set x | upper %}hi{% endset %}{{ x }}"));
    }

    @Test
    void macrosTakePositionalKeywordAndDefaultArguments() {
        assertEquals("[1B][12][13]", render("{% macro m(a, b='B') %}[{{ a }}{{ b }}]{% endmacro %}{{ m(1) }}{{ m(1, 2) }}{{ m(1, b=3) }}"));
        assertEquals("1-[2, 3]-{'k': 4}", render("{% macro m(a) %}{{ a }}-{{ varargs }}-{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, k=4) }}"));
        assertEquals("", render("{% macro m(a) %}{{ a }}{% endmacro %}{{ m() }}"));
    }

    @Test
    void callBlockPassesItsBodyAsCaller() {
        assertEquals("[inside]", render("{% macro m() %}[{{ caller() }}]{% endmacro %}{% call m() %}inside{% endcall %}"));
        assertEquals("<x>", render("{% macro m() %}{{ caller('x') }}{% endmacro %}{% call(v) m() %}<{{ v }}>{% endcall %}"));
    }

    @Test
    void filterBlockFiltersItsRenderedBody() {
        assertEquals("ABC", render("{% filter upper %}abc{% endfilter %}"));
        assertEquals("A\n  B", render("{% filter indent(2) | upper %}a\nb{% endfilter %}"));
    }

    @Test
    void generationBlockIsTransparent() {
        assertEquals("gen", render("{% generation %}gen{% endgeneration %}"));
    }

    @Test
    void rawBlockIsLiteralText() {
        assertEquals("{{ x }}{% if %}", render("{% raw %}{{ x }}{% if %}{% endraw %}"));
    }

    @Test
    void withBlockScopesItsVariables() {
        assertEquals("2|1", render("{% set a = 1 %}{% with a = 2 %}{{ a }}{% endwith %}|{{ a }}"));
    }

    @Test
    void doEvaluatesForSideEffects() {
        assertEquals("[1, 2]", render("{% set l = [1] %}{% do l.append(2) %}{{ l }}"));
    }

    @Test
    void recursiveLoopsRenderChildren() {
        String tree = "{\"tree\": [{\"name\": \"a\", \"kids\": [{\"name\": \"b\", \"kids\": []}]}]}";
        assertEquals("a(b())", renderJson("{% for n in tree recursive %}{{ n.name }}({{ loop(n.kids) }}){% endfor %}", tree));
    }

    @Test
    void messagesLoopLikeAChatTemplate() {
        String messages = "{\"messages\": [{\"role\": \"system\", \"content\": \"S\"}, {\"role\": \"user\", \"content\": \" hi \"}],"
                + " \"add_generation_prompt\": true}";
        assertEquals("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
                renderJson("{%- for m in messages %}{{ '<|im_start|>' + m.role + '\\n' + m.content | trim + '<|im_end|>\\n' }}"
                        + "{%- endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}", messages));
        assertEquals("2", render("{{ xs | length }}", "xs", List.of(1L, 2L)));
    }
}
