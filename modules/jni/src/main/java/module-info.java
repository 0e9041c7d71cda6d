/**
 * The Java side of the native bridge to the installed llama.cpp, libmtmd and ggml: process-level
 * setup (backends, devices, RPC), models, vocabularies, contexts, batches, sampler chains, LoRA
 * adapters and multimodal projectors. Every handle owns its native pointer.
 */
module io.llamabox.jni {
    requires org.slf4j;

    exports io.llamabox.jni;
}
