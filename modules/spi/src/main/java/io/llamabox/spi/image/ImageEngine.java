package io.llamabox.spi.image;

import io.llamabox.spi.LoraAdapterInfo;
import io.llamabox.spi.TaskHandle;
import java.util.List;

/**
 * A loaded image model (a diffusion model with its text encoders and autoencoder). Generations are queued
 * and run one at a time by the engine's own thread, each reporting its steps as they happen.
 */
public interface ImageEngine extends AutoCloseable {
    /** The model and the settings a request gets when it names none. */
    ImageModel model();

    /**
     * Queues a generation; the listener hears its steps and its images. Throws
     * {@link io.llamabox.spi.EngineException} (invalid request) for a request the model cannot serve.
     */
    TaskHandle generate(ImageRequest request, ImageListener listener);

    /** The LoRA adapters loaded with the model, with their default scales. */
    List<LoraAdapterInfo> loraAdapters();

    /** Totals since start, for {@code /metrics}. */
    ImageMetrics metrics();

    @Override
    void close();
}
