package io.llamabox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.spi.image.ImagePreview;
import io.llamabox.spi.image.ImageRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What {@code POST /v1/images/generations} asks of the image engine: defaults, aliases and adjustments. */
class ImagesRequestTest {
    private static final ScriptedImageEngine ENGINE = new ScriptedImageEngine();
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.images(ENGINE, b -> b);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ImageRequest generate(String fields, String... headers) throws Exception {
        HttpResponse<String> r = server.post("/v1/images/generations", "{\"prompt\":\"A lovely cat\"" + fields + "}",
                headers);
        assertEquals(200, r.statusCode(), r.body());
        return ENGINE.lastRequest();
    }

    @Test
    void aRequestNamingNothingGetsTheModelsDefaults() throws Exception {
        ImageRequest r = generate("");
        assertEquals("A lovely cat", r.prompt());
        assertEquals("", r.negativePrompt());
        assertEquals(512, r.width());
        assertEquals(512, r.height());
        assertEquals(1, r.count());
        assertEquals(ScriptedImageEngine.DEFAULTS.sampleMethod(), r.sampleMethod());
        assertEquals(ScriptedImageEngine.DEFAULTS.schedule(), r.schedule());
        assertEquals(ScriptedImageEngine.DEFAULTS.steps(), r.steps());
        assertEquals(ScriptedImageEngine.DEFAULTS.cfgScale(), r.cfgScale());
        assertEquals(ScriptedImageEngine.DEFAULTS.guidance(), r.guidance());
        assertEquals(ImagePreview.NONE, r.preview());
        assertEquals(Map.of(0, 0.5f, 1, 1.0f), r.loraScales(), "the adapters' own scales");
    }

    @Test
    void theDefaultSizeStaysWithinSmallerLimits() throws Exception {
        try (TestServer small = TestServer.images(ENGINE, b -> b.imageLimits(new ServerConfig.ImageLimits(1, 256, 384)))) {
            assertEquals(200, small.post("/v1/images/generations", "{\"prompt\":\"x\"}").statusCode());
            assertEquals(256, ENGINE.lastRequest().width());
            assertEquals(384, ENGINE.lastRequest().height());
        }
    }

    @Test
    void sizeAndNArePassedOn() throws Exception {
        ImageRequest r = generate(",\"size\":\"768x256\",\"n\":3,\"negative_prompt\":\"dogs\"");
        assertEquals(768, r.width());
        assertEquals(256, r.height());
        assertEquals(3, r.count());
        assertEquals("dogs", r.negativePrompt());
    }

    @Test
    void stableDiffusionWebUiNamesAndTheirAliasesSetTheSampling() throws Exception {
        ImageRequest full = generate(",\"sample_method\":\"dpm++2m\",\"sampling_steps\":9,\"schedule_method\":\"karras\","
                + "\"cfg_scale\":4.5,\"guidance\":2.5");
        assertEquals("dpm++2m", full.sampleMethod());
        assertEquals(9, full.steps());
        assertEquals("karras", full.schedule());
        assertEquals(4.5, full.cfgScale());
        assertEquals(2.5, full.guidance());

        ImageRequest alias = generate(",\"sampler\":\"heun\",\"sample_steps\":7,\"schedule\":\"ays\"");
        assertEquals("heun", alias.sampleMethod());
        assertEquals(7, alias.steps());
        assertEquals("ays", alias.schedule());

        ImageRequest both = generate(",\"sample_method\":\"lcm\",\"sampler\":\"heun\"");
        assertEquals("lcm", both.sampleMethod(), "the main name wins over its alias");
    }

    @Test
    void hdAddsTwoStepsAndALowQualityNegativePromptWhenNoSamplerIsNamed() throws Exception {
        ImageRequest openAi = generate(",\"quality\":\"hd\"");
        assertEquals(ScriptedImageEngine.DEFAULTS.steps() + 2, openAi.steps());
        assertEquals("low quality", openAi.negativePrompt());

        ImageRequest webUi = generate(",\"quality\":\"hd\",\"sampler\":\"euler\",\"sampling_steps\":10,"
                + "\"negative_prompt\":\"blurry\"");
        assertEquals(12, webUi.steps());
        assertEquals("blurry", webUi.negativePrompt(), "a request naming its sampler keeps its negative prompt");

        ImageRequest standard = generate(",\"quality\":\"standard\"");
        assertEquals(ScriptedImageEngine.DEFAULTS.steps(), standard.steps());
        assertEquals("", standard.negativePrompt());
    }

    @Test
    void styleAddsToTheNegativePrompt() throws Exception {
        assertEquals("dull, muted colors", generate(",\"style\":\"vivid\"").negativePrompt());
        assertEquals("blurry, oversaturated, unnatural colors",
                generate(",\"style\":\"natural\",\"negative_prompt\":\"blurry\"").negativePrompt());
        assertEquals("low quality, dull, muted colors",
                generate(",\"style\":\"vivid\",\"quality\":\"hd\"").negativePrompt());
    }

    @Test
    void aSeedIsPassedOnAndNullOrNegativeDrawsOne() throws Exception {
        assertEquals(42, generate(",\"seed\":42").seed());
        assertEquals(5_000_000_000L, generate(",\"seed\":5000000000").seed());
        assertTrue(generate(",\"seed\":null").seed() >= 0);
        assertTrue(generate(",\"seed\":-1").seed() >= 0);
        assertTrue(generate("").seed() >= 0);
    }

    @Test
    void loraScalesArePassedOnAndAdaptersLeftOutAreOff() throws Exception {
        assertEquals(Map.of(1, 0.25f), generate(",\"lora\":[{\"id\":1,\"scale\":0.25}]").loraScales());
        assertEquals(Map.of(), generate(",\"lora\":[]").loraScales());
    }

    @Test
    void theRequestIdGoesToTheEngine() throws Exception {
        assertEquals("image-req-7", generate("", "X-Request-ID", "image-req-7").requestId());
    }

    @Test
    void previewsAreAskedForOnlyWhenStreaming() throws Exception {
        assertEquals(ImagePreview.NONE, generate(",\"stream_options\":{\"preview\":true}").preview());
        assertEquals(ImagePreview.FULL, generate(",\"stream\":true,\"stream_options\":{\"preview\":true}").preview());
        assertEquals(ImagePreview.FAST,
                generate(",\"stream\":true,\"stream_options\":{\"preview\":true,\"preview_faster\":true}").preview());
        assertEquals(ImagePreview.NONE, generate(",\"stream\":true").preview());
    }

    @Test
    void theModelFieldIsIgnored() throws Exception {
        assertEquals("A lovely cat", generate(",\"model\":\"dall-e-3\"").prompt());
    }
}
