package io.llamabox.spi;

/** A submitted generation; cancelling frees its slot at the engine's next step. */
public interface TaskHandle {
    void cancel();
}
