package io.llamabox.server.routes;

import io.llamabox.server.ServerConfig;
import io.llamabox.server.images.ImageOptions;
import io.llamabox.spi.image.ImageDefaults;
import io.llamabox.spi.image.ImageModel;

/**
 * How {@code /v1/models} and {@code /props} describe an image model: its family, the settings a request
 * gets when it names none, and the most a request may ask for.
 */
record ImageModelBody(String family, ImageSettings defaultGenerationSettings, int maxBatch, int maxWidth,
                      int maxHeight) {
    record ImageSettings(int n, String size, String sampleMethod, String scheduleMethod, int samplingSteps,
                         double cfgScale, double guidance) {
    }

    static ImageModelBody of(ImageModel model, ServerConfig.ImageLimits limits) {
        ImageDefaults d = model.defaults();
        int[] size = ImageOptions.defaultSize(limits);
        return new ImageModelBody(model.family(), new ImageSettings(1, size[0] + "x" + size[1], d.sampleMethod(),
                d.schedule(), d.steps(), d.cfgScale(), d.guidance()), limits.maxBatch(), limits.maxWidth(),
                limits.maxHeight());
    }
}
