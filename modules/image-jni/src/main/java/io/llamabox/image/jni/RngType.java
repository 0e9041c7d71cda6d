package io.llamabox.image.jni;

/** The noise generator ({@code enum rng_type_t}, same order). */
public enum RngType {
    /** The C++ standard library's generator. */
    STD_DEFAULT,
    /** Philox, as CUDA's generator (stable-diffusion.cpp's default; matches other UIs' seeds). */
    CUDA,
    /** MT19937, as PyTorch's CPU generator. */
    CPU
}
