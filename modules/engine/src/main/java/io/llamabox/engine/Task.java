package io.llamabox.engine;

import io.llamabox.jni.Sampler;
import io.llamabox.spi.GenerationListener;
import io.llamabox.spi.GenerationRequest;
import io.llamabox.spi.TaskHandle;

/**
 * A queued or running generation: the request, its listener, its sampler, the LoRA scales it runs
 * with, its images (for a prompt that has some) and its cancel flag.
 */
final class Task implements TaskHandle {
    final long id;
    final GenerationRequest request;
    final GenerationListener listener;
    final Sampler sampler;
    final float[] lora;
    /** The prompt's images, held until the task ends; null for a text prompt. */
    final LlamaMediaPrompt media;
    final long createdNanos = System.nanoTime();
    private final Runnable wake;
    private volatile boolean cancelled;

    Task(long id, GenerationRequest request, GenerationListener listener, Sampler sampler, float[] lora,
         Runnable wake) {
        this(id, request, listener, sampler, lora, null, wake);
    }

    /** A task whose prompt holds images; {@code media} must be retained for it already. */
    Task(long id, GenerationRequest request, GenerationListener listener, Sampler sampler, float[] lora,
         LlamaMediaPrompt media, Runnable wake) {
        this.id = id;
        this.request = request;
        this.listener = listener;
        this.sampler = sampler;
        this.lora = lora;
        this.media = media;
        this.wake = wake;
    }

    /** The prompt tokens usage reports (an image counts its embeddings). */
    int promptTokens() {
        return media != null ? media.promptTokens() : request.prompt().length;
    }

    /** Frees what the task holds once it has ended: its sampler and its hold on the images. */
    void end() {
        sampler.close();
        if (media != null) {
            media.release();
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        wake.run();
    }

    boolean cancelled() {
        return cancelled;
    }
}
