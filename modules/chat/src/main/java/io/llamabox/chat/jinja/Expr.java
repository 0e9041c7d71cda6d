package io.llamabox.chat.jinja;

import java.util.List;

/** Expression nodes. {@code pos} is the offset in the normalised source, for error messages. */
sealed interface Expr {

    int pos();

    record Literal(Object value, int pos) implements Expr { }

    record Name(String name, int pos) implements Expr { }

    record ListLit(List<Expr> items, int pos) implements Expr { }

    record TupleLit(List<Expr> items, int pos) implements Expr { }

    record DictLit(List<Expr> keys, List<Expr> values, int pos) implements Expr { }

    /** {@code obj.name}: attribute first, then item. */
    record GetAttr(Expr obj, String name, int pos) implements Expr { }

    /** {@code obj[key]}: item first, then attribute. */
    record GetItem(Expr obj, Expr key, int pos) implements Expr { }

    /** {@code obj[start:stop:step]}; absent parts are null. */
    record Slice(Expr obj, Expr start, Expr stop, Expr step, int pos) implements Expr { }

    /** Call arguments: positional, keyword, and optional {@code *args} / {@code **kwargs}. */
    record Args(List<Expr> positional, List<String> names, List<Expr> named, Expr star, Expr starStar) {
        static final Args NONE = new Args(List.of(), List.of(), List.of(), null, null);

        boolean isEmpty() {
            return positional.isEmpty() && named.isEmpty() && star == null && starStar == null;
        }
    }

    record Call(Expr fn, Args args, int pos) implements Expr { }

    record Filter(Expr input, String name, Args args, int pos) implements Expr { }

    record Test(Expr input, String name, Args args, boolean negated, int pos) implements Expr { }

    /** Unary {@code -}, {@code +} or {@code not}. */
    record Unary(String op, Expr operand, int pos) implements Expr { }

    /** Arithmetic ({@code + - * / // % **}), {@code ~}, {@code and}, {@code or}. */
    record Binary(String op, Expr left, Expr right, int pos) implements Expr { }

    /** {@code a < b <= c}, {@code a in b}, {@code a not in b}: chained like Python. */
    record Compare(Expr first, List<String> ops, List<Expr> operands, int pos) implements Expr { }

    /** {@code then if cond else otherwise}; {@code otherwise} is null when absent (undefined result). */
    record Conditional(Expr cond, Expr then, Expr otherwise, int pos) implements Expr { }
}
