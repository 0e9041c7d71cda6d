package io.llamabox.jni;

/** The samplers a chain can hold, in any order (the codes are the native side's). */
public enum SamplerKind {
    PENALTIES, DRY, TOP_K, TYPICAL_P, TOP_P, MIN_P, XTC, TEMPERATURE, TOP_N_SIGMA
}
