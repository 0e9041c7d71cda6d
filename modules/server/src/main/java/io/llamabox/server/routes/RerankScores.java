package io.llamabox.server.routes;

/**
 * llama-box's rerank normalization. Two anchor pairs are scored with the documents: the query
 * against itself (as relevant as anything can be) and against the unknown token (as irrelevant).
 * All scores, anchors included, are mapped linearly onto 0.001..0.999. When they span less than
 * 1e-6, or when the best document is the query itself, each is divided by the largest instead.
 */
final class RerankScores {
    static final double LOW = 0.001;
    static final double HIGH = 0.999;
    static final double FLAT = 1e-6;

    private RerankScores() {
    }

    static double[] normalize(double[] scores, double upperAnchor, double lowerAnchor, boolean bestIsQuery) {
        double min = Math.min(upperAnchor, lowerAnchor);
        double max = Math.max(upperAnchor, lowerAnchor);
        for (double s : scores) {
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        double[] out = new double[scores.length];
        if (max - min < FLAT || bestIsQuery) {
            for (int i = 0; i < out.length; i++) {
                out[i] = max != 0 ? scores[i] / max : scores[i];
            }
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = LOW + (scores[i] - min) * (HIGH - LOW) / (max - min);
        }
        return out;
    }
}
