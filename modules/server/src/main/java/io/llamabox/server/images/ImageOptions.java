package io.llamabox.server.images;

import com.fasterxml.jackson.databind.JsonNode;
import io.llamabox.server.ServerConfig.ImageLimits;
import io.llamabox.server.generate.LoraScales;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.JsonFields;
import io.llamabox.spi.LoraAdapterInfo;
import io.llamabox.spi.image.ImageDefaults;
import io.llamabox.spi.image.ImageEdit;
import io.llamabox.spi.image.ImageEngine;
import io.llamabox.spi.image.ImagePreview;
import io.llamabox.spi.image.ImageRequest;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code POST /v1/images/generations} body (or a {@code /v1/images/edits} form), validated and resolved against the model's defaults and the
 * server's limits: the engine request, and how the answer is written.
 *
 * <p>OpenAI's {@code quality: "hd"} adds 2 sampling steps and, when the request names no sampler (an
 * OpenAI client, not a Stable Diffusion web UI one), {@value #HD_NEGATIVE} to the negative prompt;
 * {@code style} adds {@value #VIVID_NEGATIVE} ({@code vivid}) or {@value #NATURAL_NEGATIVE}
 * ({@code natural}). A seed that is absent, null or negative is drawn at random.
 *
 * @param request the engine request
 * @param stream whether the answer is a stream of events
 * @param includeUsage whether the stream ends with the usage ({@code stream_options.include_usage})
 * @param chunkResult whether each image's {@code b64_json} is sent in pieces ({@code stream_options.chunk_result})
 * @param chunkSize the characters per piece ({@code stream_options.chunk_size})
 */
public record ImageOptions(ImageRequest request, boolean stream, boolean includeUsage, boolean chunkResult,
                           int chunkSize) {
    public static final List<String> SAMPLERS = List.of("euler_a", "euler", "heun", "dpm2", "dpm++2s_a", "dpm++2m",
            "dpm++2mv2", "ipndm", "ipndm_v", "lcm", "ddim_trailing", "tcd");
    public static final List<String> SCHEDULES = List.of("default", "discrete", "karras", "exponential", "ays", "gits");
    public static final int DEFAULT_CHUNK_SIZE = 4096;
    /** The side of the default size, when the limits allow it. */
    public static final int DEFAULT_SIDE = 512;
    static final String HD_NEGATIVE = "low quality";
    static final String VIVID_NEGATIVE = "dull, muted colors";
    static final String NATURAL_NEGATIVE = "oversaturated, unnatural colors";
    private static final int HD_EXTRA_STEPS = 2;
    private static final Pattern SIZE = Pattern.compile("(\\d{1,9})x(\\d{1,9})");

    public ImageOptions {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be positive, got " + chunkSize);
        }
    }

    /** Reads and checks every field; nothing reaches the engine from a request that fails here. */
    public static ImageOptions parse(JsonFields f, ImageLimits limits, ImageEngine engine, String requestId) {
        return parse(f, limits, engine, requestId, null);
    }

    /**
     * An edit's form: the same fields as a generation's, plus {@code strength} (0..1, the model's default when
     * absent); the picture and mask are decoded and brought to {@code size}, which defaults to the picture's own
     * (each side down to a multiple of {@value ImageLimits#SIDE_STEP}, within the limits). A mask must have the
     * picture's size.
     */
    public static ImageOptions parseEdit(EditForm form, ImageLimits limits, ImageEngine engine, String requestId) {
        BufferedImage picture = EditPictures.decode(form.image(), "image");
        BufferedImage mask = form.mask().map(m -> EditPictures.decode(m, "mask")).orElse(null);
        if (mask != null && (mask.getWidth() != picture.getWidth() || mask.getHeight() != picture.getHeight())) {
            throw ApiException.invalid("the mask is " + mask.getWidth() + "x" + mask.getHeight() + " and the image "
                    + picture.getWidth() + "x" + picture.getHeight() + ": they must have the same size");
        }
        return parse(form.fields(), limits, engine, requestId, new Picture(picture, mask));
    }

    /** An edit's decoded picture and mask (null: none). */
    private record Picture(BufferedImage image, BufferedImage mask) {
    }

    private static ImageOptions parse(JsonFields f, ImageLimits limits, ImageEngine engine, String requestId,
            Picture picture) {
        f.string("model"); // named like the text API's, and like it not used: there is one model
        String prompt = f.string("prompt").orElseThrow(() -> ApiException.invalid("\"prompt\" is required"));
        if (prompt.isBlank()) {
            throw ApiException.invalid("\"prompt\" must not be empty");
        }
        String negative = f.string("negative_prompt", "");
        int n = f.integer("n", 1);
        if (n < 1 || n > limits.maxBatch()) {
            throw ApiException.invalid("\"n\" must be between 1 and " + limits.maxBatch()
                    + " (the server's --image-max-batch), got " + n);
        }
        int[] size = f.has("size") || picture == null ? size(f, limits)
                : EditPictures.defaultSize(picture.image(), limits.maxWidth(), limits.maxHeight(), ImageLimits.SIDE_STEP,
                        ImageLimits.MIN_SIDE);
        String quality = oneOf(f, "quality", List.of("standard", "hd")).orElse("standard");
        Optional<String> style = oneOf(f, "style", List.of("vivid", "natural"));
        responseFormat(f);

        ImageDefaults defaults = engine.model().defaults();
        Optional<String> sampler = aliased(f, "sample_method", "sampler", SAMPLERS);
        String schedule = aliased(f, "schedule_method", "schedule", SCHEDULES).orElse(defaults.schedule());
        int steps = steps(f).orElse(defaults.steps());
        double cfgScale = number(f, "cfg_scale", defaults.cfgScale());
        double guidance = number(f, "guidance", defaults.guidance());
        long seed = f.longValue("seed", -1);
        if (seed < 0) {
            seed = ThreadLocalRandom.current().nextLong(1L << 31);
        }
        Map<Integer, Float> lora = lora(f, engine);
        ImageEdit edit = null;
        if (picture != null) {
            double strength = number(f, "strength", defaults.strength());
            if (strength < 0 || strength > 1) {
                throw ApiException.invalid("\"strength\" must be between 0 and 1, got " + strength);
            }
            edit = new ImageEdit(size[0], size[1], EditPictures.rgb(picture.image(), size[0], size[1]),
                    picture.mask() == null ? null : EditPictures.mask(picture.mask(), size[0], size[1]), strength);
        } else if (f.has("strength")) {
            throw ApiException.invalid("\"strength\" applies to /v1/images/edits, which starts from a picture");
        }

        if (quality.equals("hd")) {
            steps = steps > Integer.MAX_VALUE - HD_EXTRA_STEPS ? Integer.MAX_VALUE : steps + HD_EXTRA_STEPS;
            if (sampler.isEmpty()) {
                negative = join(negative, HD_NEGATIVE);
            }
        }
        if (style.isPresent()) {
            negative = join(negative, style.get().equals("vivid") ? VIVID_NEGATIVE : NATURAL_NEGATIVE);
        }

        boolean stream = f.bool("stream", false);
        Optional<JsonFields> so = f.object("stream_options");
        boolean includeUsage = so.map(o -> o.bool("include_usage", false)).orElse(false);
        boolean chunkResult = so.map(o -> o.bool("chunk_result", false)).orElse(false);
        int chunkSize = so.map(o -> o.integer("chunk_size", DEFAULT_CHUNK_SIZE)).orElse(DEFAULT_CHUNK_SIZE);
        if (chunkSize < 1) {
            throw ApiException.invalid("\"stream_options.chunk_size\" must be at least 1, got " + chunkSize);
        }
        boolean preview = so.map(o -> o.bool("preview", false)).orElse(false);
        boolean previewFaster = so.map(o -> o.bool("preview_faster", false)).orElse(false);
        ImagePreview previews = !stream ? ImagePreview.NONE
                : previewFaster ? ImagePreview.FAST : preview ? ImagePreview.FULL : ImagePreview.NONE;

        ImageRequest request = new ImageRequest(requestId, prompt, negative, size[0], size[1], n,
                sampler.orElse(defaults.sampleMethod()), schedule, steps, cfgScale, guidance, seed, lora, previews,
                edit);
        return new ImageOptions(request, stream, stream && includeUsage, chunkResult, chunkSize);
    }

    /** The default size: {@value #DEFAULT_SIDE} pixels a side, or the largest the limits allow below that. */
    public static int[] defaultSize(ImageLimits limits) {
        return new int[] {Math.min(DEFAULT_SIDE, limits.maxWidth()), Math.min(DEFAULT_SIDE, limits.maxHeight())};
    }

    private static int[] size(JsonFields f, ImageLimits limits) {
        Optional<String> given = f.string("size");
        if (given.isEmpty()) {
            return defaultSize(limits);
        }
        Matcher m = SIZE.matcher(given.get().trim());
        if (!m.matches()) {
            throw ApiException.invalid("\"size\" must be \"WIDTHxHEIGHT\" in pixels, e.g. \"512x512\", got \""
                    + given.get() + "\"");
        }
        int width = Integer.parseInt(m.group(1));
        int height = Integer.parseInt(m.group(2));
        side("width", width, limits.maxWidth(), "--image-max-width", given.get());
        side("height", height, limits.maxHeight(), "--image-max-height", given.get());
        return new int[] {width, height};
    }

    private static void side(String name, int value, int max, String flag, String size) {
        if (value % ImageLimits.SIDE_STEP != 0 || value < ImageLimits.MIN_SIDE || value > max) {
            throw ApiException.invalid("\"size\" " + size + ": the " + name + " must be a multiple of "
                    + ImageLimits.SIDE_STEP + " from " + ImageLimits.MIN_SIDE + " to " + max + " (the server's "
                    + flag + "), got " + value);
        }
    }

    private static void responseFormat(JsonFields f) {
        Optional<String> format = f.string("response_format");
        if (format.isEmpty() || format.get().equals("b64_json")) {
            return;
        }
        if (format.get().equals("url")) {
            throw ApiException.invalid("\"response_format\" \"url\" is not served: this server keeps no files, "
                    + "only \"b64_json\" is served");
        }
        throw ApiException.invalid("\"response_format\" must be \"b64_json\", got \"" + format.get() + "\"");
    }

    private static Optional<String> oneOf(JsonFields f, String name, List<String> allowed) {
        Optional<String> v = f.string(name);
        if (v.isPresent() && !allowed.contains(v.get())) {
            throw ApiException.invalid("\"" + f.path(name) + "\" must be one of " + String.join(", ", allowed)
                    + "; got \"" + v.get() + "\"");
        }
        return v;
    }

    /** A field that has an alias (Stable Diffusion web UI's name): the main name wins when both are given. */
    private static Optional<String> aliased(JsonFields f, String name, String alias, List<String> allowed) {
        return f.has(name) ? oneOf(f, name, allowed) : oneOf(f, alias, allowed);
    }

    private static Optional<Integer> steps(JsonFields f) {
        String name = f.has("sampling_steps") ? "sampling_steps" : "sample_steps";
        Optional<Integer> steps = f.integer(name);
        if (steps.isPresent() && steps.get() < 1) {
            throw ApiException.invalid("\"" + name + "\" must be at least 1, got " + steps.get());
        }
        return steps;
    }

    private static double number(JsonFields f, String name, double fallback) {
        JsonNode v = f.get(name);
        if (v == null) {
            return fallback;
        }
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw f.wrongType(name, "a number");
        }
        return v.doubleValue();
    }

    /** The request's adapter scales (those it leaves out are off), or the engine's own when it names none. */
    private static Map<Integer, Float> lora(JsonFields f, ImageEngine engine) {
        List<LoraAdapterInfo> loaded = engine.loraAdapters();
        Map<Integer, Float> out = new LinkedHashMap<>();
        if (!f.has("lora")) {
            loaded.forEach(a -> out.put(a.id(), a.scale()));
            return out;
        }
        Map<Integer, Float> asked = LoraScales.parse(f.get("lora"), "lora");
        List<Integer> ids = new ArrayList<>();
        loaded.forEach(a -> ids.add(a.id()));
        JsonNode array = f.get("lora");
        for (int i = 0; i < array.size(); i++) {
            int id = JsonFields.asInt(array.get(i).get("id"), "lora[" + i + "].id");
            if (!ids.contains(id)) {
                throw ApiException.invalid("\"lora[" + i + "].id\" " + id + " is not a loaded adapter"
                        + (ids.isEmpty() ? ": this server has none" : "; the loaded ids are " + ids));
            }
        }
        out.putAll(asked);
        return out;
    }

    private static String join(String negative, String more) {
        return negative.isBlank() ? more : negative + ", " + more;
    }
}
