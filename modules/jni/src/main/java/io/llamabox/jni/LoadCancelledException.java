package io.llamabox.jni;

/** Model loading stopped because the progress listener asked it to. */
public final class LoadCancelledException extends LlamaException {
    public LoadCancelledException(String message) {
        super(message);
    }
}
