package io.llamabox.testkit.model;

/** Pooling of a BERT model ({@code bert.pooling_type}), with llama.cpp's values. */
public enum Pooling {
    MEAN(1),
    CLS(2),
    /** Reranking: the first token's state goes through a classification head to one score. */
    RANK(4);

    private final int id;

    Pooling(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** Parses {@code mean}, {@code cls} or {@code rank}. */
    public static Pooling parse(String s) {
        for (Pooling p : values()) {
            if (p.name().equalsIgnoreCase(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown pooling " + s + " (mean, cls, rank)");
    }
}
