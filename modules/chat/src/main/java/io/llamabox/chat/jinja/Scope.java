package io.llamabox.chat.jinja;

import java.util.HashMap;
import java.util.Map;

/** A variable scope: the template, a for loop, a macro call or a with block. Reads fall through to parents. */
final class Scope {

    /** Returned by {@link #lookup} for names that no scope defines. */
    static final Object MISSING = new Object();

    private final Scope parent;
    private final Map<String, Object> vars;

    Scope(Scope parent) {
        this.parent = parent;
        this.vars = new HashMap<>(8);
    }

    /** A root scope reading (never writing) {@code vars}. */
    private Scope(Map<String, Object> vars) {
        this.parent = null;
        this.vars = vars;
    }

    static Scope root(Map<String, Object> context) {
        return new Scope(context);
    }

    Object lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Object v = s.vars.get(name);
            if (v != null || s.vars.containsKey(name)) {
                return v;
            }
        }
        return MISSING;
    }

    void set(String name, Object value) {
        vars.put(name, value);
    }
}
