package io.llamabox.engine;

import io.llamabox.jni.Sampler;
import io.llamabox.spi.GenerationListener;
import io.llamabox.spi.GenerationRequest;
import io.llamabox.spi.TaskHandle;

/** A queued or running generation: the request, its listener, its sampler and its cancel flag. */
final class Task implements TaskHandle {
    final long id;
    final GenerationRequest request;
    final GenerationListener listener;
    final Sampler sampler;
    final long createdNanos = System.nanoTime();
    private final Runnable wake;
    private volatile boolean cancelled;

    Task(long id, GenerationRequest request, GenerationListener listener, Sampler sampler, Runnable wake) {
        this.id = id;
        this.request = request;
        this.listener = listener;
        this.sampler = sampler;
        this.wake = wake;
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
