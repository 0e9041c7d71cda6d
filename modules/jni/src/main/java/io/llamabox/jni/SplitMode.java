package io.llamabox.jni;

/** How a model is split over several devices ({@code enum llama_split_mode}). */
public enum SplitMode {
    NONE, LAYER, ROW
}
