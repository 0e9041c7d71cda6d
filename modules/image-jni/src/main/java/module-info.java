/**
 * The Java side of the native image engine: stable-diffusion.cpp behind JNI in
 * {@code libllamabox-image}, which carries its own private ggml. Model inspection, contexts and
 * text-to-image generation.
 */
module io.llamabox.image.jni {
    requires org.slf4j;

    exports io.llamabox.image.jni;
}
