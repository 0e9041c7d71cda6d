package io.llamabox.spi;

import java.util.List;

/** A generated token's probability data: the token itself and the most likely alternatives. */
public record TokenProbabilities(int token, String piece, byte[] bytes, float logprob, List<Candidate> top) {
    /** One alternative token. */
    public record Candidate(int token, String piece, byte[] bytes, float logprob) {
    }
}
