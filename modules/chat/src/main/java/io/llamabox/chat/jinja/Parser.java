package io.llamabox.chat.jinja;

import io.llamabox.chat.jinja.Lexer.Kind;
import io.llamabox.chat.jinja.Lexer.Token;

import java.util.ArrayList;
import java.util.List;

/** Recursive-descent parser with Jinja2's precedence rules. */
final class Parser {

    private final String src;
    private final List<Token> tokens;
    private int i;

    private Parser(String src, List<Token> tokens) {
        this.src = src;
        this.tokens = tokens;
    }

    /** Parses a {@link Lexer#normalize normalised} source. */
    static List<Node> parse(String normalizedSource) {
        Parser p = new Parser(normalizedSource, Lexer.tokenize(normalizedSource));
        List<Node> body = p.subparse(List.of());
        p.expect(Kind.EOF, "end of template");
        return body;
    }

    // ---------------------------------------------------------------- token helpers

    private Token peek() {
        return tokens.get(i);
    }

    private Token peek(int ahead) {
        int k = Math.min(i + ahead, tokens.size() - 1);
        return tokens.get(k);
    }

    private Token next() {
        Token t = tokens.get(i);
        if (t.kind() != Kind.EOF) {
            i++;
        }
        return t;
    }

    private boolean acceptOp(String op) {
        if (peek().isOp(op)) {
            i++;
            return true;
        }
        return false;
    }

    private boolean acceptName(String name) {
        if (peek().isName(name)) {
            i++;
            return true;
        }
        return false;
    }

    private Token expect(Kind kind, String what) {
        Token t = peek();
        if (t.kind() != kind) {
            throw error(t, "expected " + what + ", got " + describe(t));
        }
        return next();
    }

    private void expectOp(String op) {
        Token t = peek();
        if (!t.isOp(op)) {
            throw error(t, "expected '" + op + "', got " + describe(t));
        }
        i++;
    }

    private String expectName() {
        return expect(Kind.NAME, "a name").text();
    }

    private void expectBlockEnd() {
        expect(Kind.BLOCK_END, "end of statement '%}'");
    }

    private static String describe(Token t) {
        return switch (t.kind()) {
            case EOF -> "end of template";
            case BLOCK_END -> "'%}'";
            case VAR_END -> "'}}'";
            case TEXT -> "template text";
            case STRING -> "string literal";
            default -> "'" + t.text() + "'";
        };
    }

    private TemplateException error(Token t, String msg) {
        return TemplateException.syntax(src, t.pos(), msg);
    }

    // ---------------------------------------------------------------- statements

    /** Parses nodes until a block tag whose name is in {@code endTags} (left unconsumed) or EOF. */
    private List<Node> subparse(List<String> endTags) {
        List<Node> body = new ArrayList<>();
        while (true) {
            Token t = peek();
            switch (t.kind()) {
                case TEXT -> {
                    next();
                    body.add(new Node.Text(t.text(), t.pos()));
                }
                case VAR_BEGIN -> {
                    next();
                    Expr e = parseTuple(true);
                    expect(Kind.VAR_END, "end of expression '}}'");
                    body.add(new Node.Output(e, t.pos()));
                }
                case BLOCK_BEGIN -> {
                    Token name = peek(1);
                    if (name.kind() == Kind.NAME && endTags.contains(name.text())) {
                        return body;
                    }
                    next();
                    parseStatement(t, body);
                }
                case EOF -> {
                    if (!endTags.isEmpty()) {
                        throw error(t, "unexpected end of template, expected " + String.join(" or ",
                                endTags.stream().map(s -> "'" + s + "'").toList()));
                    }
                    return body;
                }
                default -> throw error(t, "unexpected " + describe(t));
            }
        }
    }

    /** Consumes {@code {% name} of an end/middle tag (the BLOCK_BEGIN and the name). */
    private String takeTag() {
        expect(Kind.BLOCK_BEGIN, "'{%'");
        return expectName();
    }

    private void parseStatement(Token begin, List<Node> out) {
        Token nameTok = peek();
        if (nameTok.kind() != Kind.NAME) {
            throw error(nameTok, "expected a statement name, got " + describe(nameTok));
        }
        String name = nameTok.text();
        next();
        int pos = begin.pos();
        switch (name) {
            case "if" -> out.add(parseIf(pos));
            case "for" -> out.add(parseFor(pos));
            case "set" -> out.add(parseSet(pos));
            case "macro" -> out.add(parseMacro(pos));
            case "call" -> out.add(parseCallBlock(pos));
            case "filter" -> out.add(parseFilterBlock(pos));
            case "with" -> out.add(parseWith(pos));
            case "do" -> {
                Expr e = parseTuple(true);
                expectBlockEnd();
                out.add(new Node.Do(e, pos));
            }
            case "break" -> {
                expectBlockEnd();
                out.add(new Node.Break(pos));
            }
            case "continue" -> {
                expectBlockEnd();
                out.add(new Node.Continue(pos));
            }
            case "generation" -> {
                // Hugging Face's assistant-mask marker: renders its body unchanged.
                expectBlockEnd();
                out.addAll(subparse(List.of("endgeneration")));
                takeTag();
                expectBlockEnd();
            }
            default -> throw error(nameTok, "unknown or unsupported statement '" + name + "'");
        }
    }

    private Node parseIf(int pos) {
        List<Expr> conds = new ArrayList<>();
        List<List<Node>> bodies = new ArrayList<>();
        List<Node> otherwise = List.of();
        conds.add(parseTuple(true));
        expectBlockEnd();
        while (true) {
            bodies.add(subparse(List.of("elif", "else", "endif")));
            String tag = takeTag();
            if (tag.equals("elif")) {
                conds.add(parseTuple(true));
                expectBlockEnd();
            } else if (tag.equals("else")) {
                expectBlockEnd();
                otherwise = subparse(List.of("endif"));
                takeTag();
                expectBlockEnd();
                break;
            } else {
                expectBlockEnd();
                break;
            }
        }
        return new Node.If(conds, bodies, otherwise, pos);
    }

    private Node parseFor(int pos) {
        Node.Target target = parseAssignTarget(true, false);
        if (!acceptName("in")) {
            throw error(peek(), "expected 'in' in for loop, got " + describe(peek()));
        }
        Expr iter = parseTuple(false);
        Expr filter = null;
        if (acceptName("if")) {
            filter = parseExpression(true);
        }
        boolean recursive = acceptName("recursive");
        expectBlockEnd();
        List<Node> body = subparse(List.of("endfor", "else"));
        List<Node> otherwise = List.of();
        if (takeTag().equals("else")) {
            expectBlockEnd();
            otherwise = subparse(List.of("endfor"));
            takeTag();
        }
        expectBlockEnd();
        return new Node.For(target, iter, filter, recursive, body, otherwise, pos);
    }

    private Node parseSet(int pos) {
        Node.Target target = parseAssignTarget(true, true);
        if (acceptOp("=")) {
            Expr value = parseTuple(true);
            expectBlockEnd();
            return new Node.Set(target, value, pos);
        }
        List<Expr.Filter> filters = parseFilterChain();
        expectBlockEnd();
        List<Node> body = subparse(List.of("endset"));
        takeTag();
        expectBlockEnd();
        return new Node.SetBlock(target, filters, body, pos);
    }

    /** {@code | f(args) | g} after a set-block target or in a filter block; may be empty for set blocks. */
    private List<Expr.Filter> parseFilterChain() {
        List<Expr.Filter> filters = new ArrayList<>();
        while (acceptOp("|")) {
            filters.add(parseFilterCall(null));
        }
        return filters;
    }

    private Node parseMacro(int pos) {
        String name = expectName();
        List<Node.Param> params = parseSignature();
        expectBlockEnd();
        List<Node> body = subparse(List.of("endmacro"));
        takeTag();
        if (peek().kind() == Kind.NAME) {
            next();
        }
        expectBlockEnd();
        return new Node.Macro(name, params, body, pos);
    }

    private List<Node.Param> parseSignature() {
        List<Node.Param> params = new ArrayList<>();
        expectOp("(");
        while (!peek().isOp(")")) {
            if (!params.isEmpty()) {
                expectOp(",");
                if (peek().isOp(")")) {
                    break;
                }
            }
            String pname = expectName();
            Expr def = null;
            if (acceptOp("=")) {
                def = parseExpression(true);
            }
            params.add(new Node.Param(pname, def));
        }
        expectOp(")");
        return params;
    }

    private Node parseCallBlock(int pos) {
        List<Node.Param> params = peek().isOp("(") ? parseSignature() : List.of();
        Expr e = parseExpression(true);
        if (!(e instanceof Expr.Call call)) {
            throw error(peek(), "expected a call in '{% call %}'");
        }
        expectBlockEnd();
        List<Node> body = subparse(List.of("endcall"));
        takeTag();
        expectBlockEnd();
        return new Node.CallBlock(params, call, body, pos);
    }

    private Node parseFilterBlock(int pos) {
        List<Expr.Filter> filters = new ArrayList<>();
        filters.add(parseFilterCall(null));
        filters.addAll(parseFilterChain());
        expectBlockEnd();
        List<Node> body = subparse(List.of("endfilter"));
        takeTag();
        expectBlockEnd();
        return new Node.FilterBlock(filters, body, pos);
    }

    private Node parseWith(int pos) {
        List<Node.Target> targets = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (peek().kind() != Kind.BLOCK_END) {
            if (!targets.isEmpty()) {
                expectOp(",");
            }
            targets.add(parseAssignTarget(false, false));
            expectOp("=");
            values.add(parseExpression(true));
        }
        expectBlockEnd();
        List<Node> body = subparse(List.of("endwith"));
        takeTag();
        expectBlockEnd();
        return new Node.With(targets, values, body, pos);
    }

    /** A name, a tuple of names, or (for {@code set}) {@code name.attr}. */
    private Node.Target parseAssignTarget(boolean allowTuple, boolean allowAttr) {
        Token first = peek();
        List<Node.Target> items = new ArrayList<>();
        boolean tuple = false;
        boolean paren = acceptOp("(");
        while (true) {
            Token t = peek();
            String name = expectName();
            if (allowAttr && peek().isOp(".")) {
                next();
                String attr = expectName();
                items.add(new Node.AttrTarget(new Expr.Name(name, t.pos()), attr, t.pos()));
            } else {
                items.add(new Node.NameTarget(name, t.pos()));
            }
            if ((allowTuple || paren) && peek().isOp(",")) {
                next();
                tuple = true;
                if (peek().kind() != Kind.NAME) {
                    break;
                }
                continue;
            }
            break;
        }
        if (paren) {
            expectOp(")");
        }
        if (tuple || items.size() > 1) {
            return new Node.TupleTarget(items, first.pos());
        }
        return items.getFirst();
    }

    // ---------------------------------------------------------------- expressions

    /** An expression or an unparenthesised tuple {@code a, b}. */
    private Expr parseTuple(boolean withCondExpr) {
        Token start = peek();
        Expr first = parseExpression(withCondExpr);
        if (!peek().isOp(",")) {
            return first;
        }
        List<Expr> items = new ArrayList<>();
        items.add(first);
        while (acceptOp(",")) {
            if (isTupleEnd(peek())) {
                break;
            }
            items.add(parseExpression(withCondExpr));
        }
        return new Expr.TupleLit(items, start.pos());
    }

    private static boolean isTupleEnd(Token t) {
        return t.kind() == Kind.VAR_END || t.kind() == Kind.BLOCK_END || t.isOp(")") || t.isOp("]")
                || t.isOp("}") || t.isOp("=") || t.isName("in") || t.isName("if") || t.isName("recursive");
    }

    /** With {@code withCondExpr} false a trailing {@code if} is left alone (the filter of a for loop). */
    private Expr parseExpression(boolean withCondExpr) {
        return withCondExpr ? parseConditional() : parseOr();
    }

    private Expr parseConditional() {
        Expr expr = parseOr();
        while (peek().isName("if")) {
            Token t = next();
            Expr cond = parseOr();
            Expr otherwise = null;
            if (acceptName("else")) {
                otherwise = parseConditional();
            }
            expr = new Expr.Conditional(cond, expr, otherwise, t.pos());
        }
        return expr;
    }

    private Expr parseOr() {
        Expr left = parseAnd();
        while (peek().isName("or")) {
            Token t = next();
            left = new Expr.Binary("or", left, parseAnd(), t.pos());
        }
        return left;
    }

    private Expr parseAnd() {
        Expr left = parseNot();
        while (peek().isName("and")) {
            Token t = next();
            left = new Expr.Binary("and", left, parseNot(), t.pos());
        }
        return left;
    }

    private Expr parseNot() {
        if (peek().isName("not")) {
            Token t = next();
            return new Expr.Unary("not", parseNot(), t.pos());
        }
        return parseCompare();
    }

    private Expr parseCompare() {
        Token start = peek();
        Expr first = parseMath1();
        List<String> ops = new ArrayList<>();
        List<Expr> operands = new ArrayList<>();
        while (true) {
            Token t = peek();
            String op = null;
            if (t.kind() == Kind.OP) {
                switch (t.text()) {
                    case "==", "!=", "<", "<=", ">", ">=" -> op = t.text();
                    default -> { }
                }
                if (op != null) {
                    next();
                }
            } else if (t.isName("in")) {
                next();
                op = "in";
            } else if (t.isName("not") && peek(1).isName("in")) {
                next();
                next();
                op = "not in";
            }
            if (op == null) {
                break;
            }
            ops.add(op);
            operands.add(parseMath1());
        }
        if (ops.isEmpty()) {
            return first;
        }
        return new Expr.Compare(first, ops, operands, start.pos());
    }

    private Expr parseMath1() {
        Expr left = parseConcat();
        while (peek().isOp("+") || peek().isOp("-")) {
            Token t = next();
            left = new Expr.Binary(t.text(), left, parseConcat(), t.pos());
        }
        return left;
    }

    private Expr parseConcat() {
        Expr left = parseMath2();
        while (peek().isOp("~")) {
            Token t = next();
            left = new Expr.Binary("~", left, parseMath2(), t.pos());
        }
        return left;
    }

    private Expr parseMath2() {
        Expr left = parsePow();
        while (true) {
            Token t = peek();
            if (t.isOp("*") || t.isOp("/") || t.isOp("//") || t.isOp("%")) {
                next();
                left = new Expr.Binary(t.text(), left, parsePow(), t.pos());
            } else {
                return left;
            }
        }
    }

    private Expr parsePow() {
        Expr left = parseUnary(true);
        while (peek().isOp("**")) {
            Token t = next();
            left = new Expr.Binary("**", left, parseUnary(true), t.pos());
        }
        return left;
    }

    private Expr parseUnary(boolean withFilter) {
        Token t = peek();
        Expr node;
        if (t.isOp("-") || t.isOp("+")) {
            next();
            node = new Expr.Unary(t.text(), parseUnary(false), t.pos());
        } else {
            node = parsePrimary();
        }
        node = parsePostfix(node);
        if (withFilter) {
            node = parseFilterExpr(node);
        }
        return node;
    }

    private Expr parsePrimary() {
        Token t = peek();
        switch (t.kind()) {
            case NAME -> {
                next();
                return switch (t.text()) {
                    case "true", "True" -> new Expr.Literal(Boolean.TRUE, t.pos());
                    case "false", "False" -> new Expr.Literal(Boolean.FALSE, t.pos());
                    case "none", "None" -> new Expr.Literal(null, t.pos());
                    default -> new Expr.Name(t.text(), t.pos());
                };
            }
            case STRING -> {
                next();
                StringBuilder sb = new StringBuilder(t.text());
                while (peek().kind() == Kind.STRING) {
                    sb.append(next().text());
                }
                return new Expr.Literal(sb.toString(), t.pos());
            }
            case INT -> {
                next();
                try {
                    return new Expr.Literal(Long.parseLong(t.text()), t.pos());
                } catch (NumberFormatException e) {
                    return new Expr.Literal(Double.parseDouble(t.text()), t.pos());
                }
            }
            case FLOAT -> {
                next();
                return new Expr.Literal(Double.parseDouble(t.text()), t.pos());
            }
            case OP -> {
                switch (t.text()) {
                    case "(" -> {
                        next();
                        if (acceptOp(")")) {
                            return new Expr.TupleLit(List.of(), t.pos());
                        }
                        Expr first = parseExpression(true);
                        if (acceptOp(")")) {
                            return first;
                        }
                        List<Expr> items = new ArrayList<>();
                        items.add(first);
                        while (acceptOp(",")) {
                            if (peek().isOp(")")) {
                                break;
                            }
                            items.add(parseExpression(true));
                        }
                        expectOp(")");
                        return new Expr.TupleLit(items, t.pos());
                    }
                    case "[" -> {
                        next();
                        List<Expr> items = new ArrayList<>();
                        while (!peek().isOp("]")) {
                            if (!items.isEmpty()) {
                                expectOp(",");
                                if (peek().isOp("]")) {
                                    break;
                                }
                            }
                            items.add(parseExpression(true));
                        }
                        expectOp("]");
                        return new Expr.ListLit(items, t.pos());
                    }
                    case "{" -> {
                        next();
                        List<Expr> keys = new ArrayList<>();
                        List<Expr> values = new ArrayList<>();
                        while (!peek().isOp("}")) {
                            if (!keys.isEmpty()) {
                                expectOp(",");
                                if (peek().isOp("}")) {
                                    break;
                                }
                            }
                            keys.add(parseExpression(true));
                            expectOp(":");
                            values.add(parseExpression(true));
                        }
                        expectOp("}");
                        return new Expr.DictLit(keys, values, t.pos());
                    }
                    default -> throw error(t, "unexpected " + describe(t));
                }
            }
            default -> throw error(t, "unexpected " + describe(t));
        }
    }

    private Expr parsePostfix(Expr node) {
        while (true) {
            Token t = peek();
            if (t.isOp(".")) {
                next();
                Token attr = next();
                if (attr.kind() == Kind.NAME) {
                    node = new Expr.GetAttr(node, attr.text(), t.pos());
                } else if (attr.kind() == Kind.INT) {
                    node = new Expr.GetItem(node, new Expr.Literal(Long.parseLong(attr.text()), attr.pos()), t.pos());
                } else {
                    throw error(attr, "expected an attribute name after '.', got " + describe(attr));
                }
            } else if (t.isOp("[")) {
                next();
                node = parseSubscript(node, t);
            } else if (t.isOp("(")) {
                next();
                node = new Expr.Call(node, parseCallArgs(), t.pos());
            } else {
                return node;
            }
        }
    }

    private Expr parseSubscript(Expr node, Token open) {
        Expr start = null;
        if (!peek().isOp(":")) {
            start = parseExpression(true);
            if (acceptOp("]")) {
                return new Expr.GetItem(node, start, open.pos());
            }
            if (peek().isOp(",")) {
                List<Expr> items = new ArrayList<>();
                items.add(start);
                while (acceptOp(",")) {
                    if (peek().isOp("]")) {
                        break;
                    }
                    items.add(parseExpression(true));
                }
                expectOp("]");
                return new Expr.GetItem(node, new Expr.TupleLit(items, start.pos()), open.pos());
            }
        }
        expectOp(":");
        Expr stop = null;
        Expr step = null;
        if (!peek().isOp("]") && !peek().isOp(":")) {
            stop = parseExpression(true);
        }
        if (acceptOp(":")) {
            if (!peek().isOp("]")) {
                step = parseExpression(true);
            }
        }
        expectOp("]");
        return new Expr.Slice(node, start, stop, step, open.pos());
    }

    /** Arguments after an already consumed '('. */
    private Expr.Args parseCallArgs() {
        List<Expr> positional = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Expr> named = new ArrayList<>();
        Expr star = null;
        Expr starStar = null;
        boolean first = true;
        while (!peek().isOp(")")) {
            if (!first) {
                expectOp(",");
                if (peek().isOp(")")) {
                    break;
                }
            }
            first = false;
            if (acceptOp("**")) {
                starStar = parseExpression(true);
            } else if (acceptOp("*")) {
                star = parseExpression(true);
            } else if (peek().kind() == Kind.NAME && peek(1).isOp("=")) {
                names.add(next().text());
                next();
                named.add(parseExpression(true));
            } else {
                if (!named.isEmpty()) {
                    throw error(peek(), "positional argument after keyword argument");
                }
                positional.add(parseExpression(true));
            }
        }
        expectOp(")");
        return new Expr.Args(positional, names, named, star, starStar);
    }

    private Expr parseFilterExpr(Expr node) {
        while (true) {
            Token t = peek();
            if (t.isOp("|")) {
                next();
                node = parseFilterCall(node);
            } else if (t.isName("is")) {
                next();
                node = parseTest(node, t);
            } else if (t.isOp("(")) {
                next();
                node = new Expr.Call(node, parseCallArgs(), t.pos());
            } else {
                return node;
            }
        }
    }

    private Expr.Filter parseFilterCall(Expr input) {
        Token t = peek();
        StringBuilder name = new StringBuilder(expectName());
        while (peek().isOp(".")) {
            next();
            name.append('.').append(expectName());
        }
        Expr.Args args = Expr.Args.NONE;
        if (acceptOp("(")) {
            args = parseCallArgs();
        }
        return new Expr.Filter(input, name.toString(), args, t.pos());
    }

    private Expr parseTest(Expr node, Token isTok) {
        boolean negated = acceptName("not");
        Token t = peek();
        StringBuilder name = new StringBuilder(expectName());
        while (peek().isOp(".")) {
            next();
            name.append('.').append(expectName());
        }
        Expr.Args args = Expr.Args.NONE;
        Token n = peek();
        if (n.isOp("(")) {
            next();
            args = parseCallArgs();
        } else if ((n.kind() == Kind.NAME || n.kind() == Kind.STRING || n.kind() == Kind.INT
                || n.kind() == Kind.FLOAT || n.isOp("[") || n.isOp("{"))
                && !(n.isName("else") || n.isName("or") || n.isName("and") || n.isName("is")
                     || n.isName("if") || n.isName("in") || n.isName("not"))) {
            Expr arg = parsePostfix(parsePrimary());
            args = new Expr.Args(List.of(arg), List.of(), List.of(), null, null);
        }
        return new Expr.Test(node, name.toString(), args, negated, t.pos() > 0 ? t.pos() : isTok.pos());
    }
}
