package io.llamabox.chat.jinja;

import java.util.List;

/** Statement nodes of a parsed template. */
sealed interface Node {

    int pos();

    record Text(String text, int pos) implements Node { }

    record Output(Expr expr, int pos) implements Node { }

    record If(List<Expr> conditions, List<List<Node>> bodies, List<Node> otherwise, int pos) implements Node { }

    record For(Target target, Expr iterable, Expr filter, boolean recursive, List<Node> body, List<Node> otherwise,
               int pos) implements Node { }

    record Set(Target target, Expr value, int pos) implements Node { }

    /** {@code {% set x | filters %}body{% endset %}}. */
    record SetBlock(Target target, List<Expr.Filter> filters, List<Node> body, int pos) implements Node { }

    record Macro(String name, List<Param> params, List<Node> body, int pos) implements Node { }

    /** {@code {% call(params) expr %}body{% endcall %}}: {@code body} becomes {@code caller}. */
    record CallBlock(List<Param> params, Expr.Call call, List<Node> body, int pos) implements Node { }

    /** {@code {% filter f | g %}body{% endfilter %}}: filters applied to the rendered body in order. */
    record FilterBlock(List<Expr.Filter> filters, List<Node> body, int pos) implements Node { }

    record With(List<Target> targets, List<Expr> values, List<Node> body, int pos) implements Node { }

    record Do(Expr expr, int pos) implements Node { }

    record Break(int pos) implements Node { }

    record Continue(int pos) implements Node { }

    /** A macro parameter; {@code defaultValue} is null when required. */
    record Param(String name, Expr defaultValue) { }

    /** Assignment targets. */
    sealed interface Target {
        int pos();
    }

    record NameTarget(String name, int pos) implements Target { }

    record TupleTarget(List<Target> items, int pos) implements Target { }

    /** {@code {% set ns.attr = ... %}}. */
    record AttrTarget(Expr obj, String name, int pos) implements Target { }
}
