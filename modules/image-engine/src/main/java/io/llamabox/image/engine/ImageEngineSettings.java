package io.llamabox.image.engine;

import io.llamabox.image.jni.DiffusionModelParams;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * How an image model is loaded and what its requests get by default. Absent defaults come from the model's
 * family ({@link FamilyDefaults}).
 *
 * @param model the files and the load options
 * @param loras LoRA adapter files with their default scales ({@code --lora}, {@code --lora-scaled}); a
 *        request's own scales, by index, replace them
 * @param sampleMethod default sampler ({@code --image-sample-method})
 * @param schedule default schedule ({@code --image-schedule-method}); {@code default} leaves it to the sampler
 * @param steps default sampling steps ({@code --image-sampling-steps})
 * @param cfgScale default classifier-free guidance scale ({@code --image-cfg-scale})
 * @param guidance default distilled guidance ({@code --image-guidance})
 * @param skipLayerGuidance skip-layer guidance ({@code --image-slg-*}); a scale of 0 is off
 * @param vaeTiling whether the VAE decodes in tiles ({@code --image-vae-tiling})
 * @param strength default strength of edits ({@code --image-strength}); else the family's
 * @param upscaling the ESRGAN model every finished image goes through ({@code --image-upscale-model}), if any
 */
public record ImageEngineSettings(DiffusionModelParams model, List<LoraFile> loras, Optional<String> sampleMethod,
        String schedule, OptionalInt steps, OptionalDouble cfgScale, double guidance,
        SkipLayers skipLayerGuidance, boolean vaeTiling, OptionalDouble strength, Optional<Upscaling> upscaling) {

    /** A LoRA adapter file and its default scale. */
    public record LoraFile(Path path, float scale) {
        public LoraFile {
            Objects.requireNonNull(path, "path");
        }
    }

    /** An ESRGAN upscaler and how many times it runs on each image ({@code --image-upscale-repeats}). */
    public record Upscaling(Path model, int repeats) {
        public Upscaling {
            Objects.requireNonNull(model, "model");
            if (repeats < 1) {
                throw new IllegalArgumentException("upscale repeats must be at least 1, got " + repeats);
            }
        }
    }

    /** Skip-layer guidance: layers, the phase it applies in, and its scale (0 = off). */
    public record SkipLayers(List<Integer> layers, float start, float end, OptionalDouble scale) {
        public SkipLayers {
            layers = List.copyOf(layers);
            Objects.requireNonNull(scale, "scale");
        }
    }

    public ImageEngineSettings {
        Objects.requireNonNull(model, "model");
        loras = List.copyOf(loras);
        Objects.requireNonNull(sampleMethod, "sampleMethod");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(steps, "steps");
        Objects.requireNonNull(cfgScale, "cfgScale");
        Objects.requireNonNull(skipLayerGuidance, "skipLayerGuidance");
        Objects.requireNonNull(strength, "strength");
        Objects.requireNonNull(upscaling, "upscaling");
    }

    /** Only the model: every default from its family. */
    public static ImageEngineSettings of(DiffusionModelParams model) {
        return new ImageEngineSettings(model, List.of(), Optional.empty(), "default", OptionalInt.empty(),
                OptionalDouble.empty(), 3.5, new SkipLayers(List.of(7, 8, 9), 0.01f, 0.2f, OptionalDouble.empty()),
                false, OptionalDouble.empty(), Optional.empty());
    }
}
