package io.llamabox.jni;

/** A candidate token with its probability and log-probability under the raw logits. */
public record TokenProbability(int token, float probability, float logprob) {
}
