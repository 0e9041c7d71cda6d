package io.llamabox.server.images;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.llamabox.spi.image.GeneratedImage;
import io.llamabox.spi.image.ImageUsage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The JSON of the images API: OpenAI's images response and llama-box's stream chunks. */
public final class ImageBodies {
    private ImageBodies() {
    }

    /** {@code {"created", "data": [{"index", "object": "image", "b64_json"}], "usage"}}. */
    public record Images(long created, List<Image> data, Usage usage) {
    }

    public record Image(int index, String object, String b64Json) {
    }

    /** One stream event: {@code {"created", "data": [chunk], "usage"?}}. */
    public record Chunk(long created, List<ChunkItem> data, @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage) {
    }

    /**
     * An image's progress: sampling steps done of all, and the percentage of the image's work, in which
     * decoding the finished latent counts as one more step (so only the finished image reaches 100).
     * {@code b64_json} holds a preview, or the finished image (or a piece of it) at 100.
     */
    public record ChunkItem(int index, String object, int progressedSteps, int progressSteps, double progress,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String b64Json, String finishReason) {
    }

    /** llama-box's usage of an image generation. */
    public record Usage(double timeToProcessMs, double timePerGenerationMs, double generationPerSecond) {
        public static Usage of(ImageUsage u) {
            return new Usage(u.timeToProcessMillis(), u.timePerGenerationMillis(), u.generationsPerSecond());
        }
    }

    public static Images images(long created, List<GeneratedImage> images, ImageUsage usage) {
        List<Image> data = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            data.add(new Image(i, "image", base64(images.get(i))));
        }
        return new Images(created, data, Usage.of(usage));
    }

    static String base64(GeneratedImage image) {
        return Base64.getEncoder().encodeToString(image.png());
    }
}
