package io.llamabox.server.routes;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llamabox.server.LoadedModel;
import io.llamabox.server.http.ServerContext;
import io.llamabox.spi.EngineMetrics;
import io.llamabox.spi.image.ImageMetrics;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /metrics} (with {@code --metrics}): every {@code llamabox:*} metric in Prometheus's text
 * format, read from the engines when scraped. The image metrics are 0 without an image engine, the text
 * ones with it.
 * {@code llamabox:n_busy_slots_per_decode} is an average that can fall, so it is written as a gauge
 * (a counter may only grow, and simpleclient would also rename it to {@code ..._total}).
 */
public final class MetricsService implements HttpService {
    private final ServerContext ctx;
    private final CollectorRegistry registry = new CollectorRegistry();

    public MetricsService(ServerContext ctx) {
        this.ctx = ctx;
        registry.register(new BoxCollector());
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/metrics", this::metrics);
    }

    private void metrics(ServerRequest req, ServerResponse res) throws Exception {
        ctx.model().require();
        StringWriter out = new StringWriter(4096);
        TextFormat.write004(out, registry.metricFamilySamples());
        res.header(HeaderNames.CONTENT_TYPE, TextFormat.CONTENT_TYPE_004);
        res.send(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static final EngineMetrics NO_TEXT = new EngineMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    private static final ImageMetrics NO_IMAGES = new ImageMetrics(0, 0, 0);

    /** The engines' counters added up: text generation and embeddings both process prompts and decode. */
    static EngineMetrics combined(LoadedModel model) {
        EngineMetrics t = model.generatesText() ? model.engine().metrics() : null;
        EngineMetrics e = model.embeds() ? model.embeddings().metrics() : null;
        if (t == null || e == null) {
            return t != null ? t : e != null ? e : NO_TEXT;
        }
        return new EngineMetrics(t.promptTokensTotal() + e.promptTokensTotal(),
                t.promptSecondsTotal() + e.promptSecondsTotal(), t.tokensPredictedTotal(),
                t.tokensPredictedSecondsTotal(), t.tokensDraftedTotal(), t.tokensDraftedAcceptedTotal(),
                t.decodeTotal() + e.decodeTotal(), t.busySlotsPerDecodeTotal() + e.busySlotsPerDecodeTotal(),
                t.kvCacheUsageRatio(), t.kvCacheTokens(), t.requestsProcessing() + e.requestsProcessing(),
                t.requestsDeferred() + e.requestsDeferred());
    }

    private final class BoxCollector extends Collector {
        @Override
        public List<MetricFamilySamples> collect() {
            EngineMetrics m = ctx.model().current().map(MetricsService::combined).orElse(NO_TEXT);
            ImageMetrics im = ctx.model().current().filter(LoadedModel::generatesImages)
                    .map(l -> l.images().metrics()).orElse(NO_IMAGES);
            List<MetricFamilySamples> out = new ArrayList<>();
            out.add(counter("image_process_seconds_total", "Image process time.", im.processSeconds()));
            out.add(counter("image_generate_seconds_total", "Image generate time.", im.generateSeconds()));
            out.add(counter("image_generate_steps_total", "Number of image generate steps.", im.generateSteps()));
            out.add(counter("prompt_tokens_total", "Number of prompt tokens processed.", m.promptTokensTotal()));
            out.add(counter("prompt_seconds_total", "Prompt process time.", m.promptSecondsTotal()));
            out.add(counter("tokens_predicted_total", "Number of generation tokens processed.",
                    m.tokensPredictedTotal()));
            out.add(counter("tokens_predicted_seconds_total", "Predict process time.",
                    m.tokensPredictedSecondsTotal()));
            out.add(counter("tokens_drafted_total", "Number of speculative decoding tokens processed.",
                    m.tokensDraftedTotal()));
            out.add(counter("tokens_drafted_accepted_total",
                    "Number of speculative decoding tokens to be accepted.", m.tokensDraftedAcceptedTotal()));
            out.add(counter("n_decode_total", "Total number of llama_decode() calls.", m.decodeTotal()));
            out.add(gauge("n_busy_slots_per_decode", "Average number of busy slots per llama_decode() call.",
                    ratio(m.busySlotsPerDecodeTotal(), m.decodeTotal())));
            out.add(gauge("image_steps_seconds", "Average image generation throughput in steps/s.",
                    im.stepsPerSecond()));
            out.add(gauge("prompt_tokens_seconds", "Average prompt throughput in tokens/s.",
                    ratio(m.promptTokensTotal(), m.promptSecondsTotal())));
            out.add(gauge("predicted_tokens_seconds", "Average generation throughput in tokens/s.",
                    ratio(m.tokensPredictedTotal(), m.tokensPredictedSecondsTotal())));
            out.add(gauge("kv_cache_usage_ratio", "KV-cache usage. 1 means 100 percent usage.",
                    m.kvCacheUsageRatio()));
            out.add(gauge("kv_cache_tokens", "KV-cache tokens.", m.kvCacheTokens()));
            out.add(gauge("requests_processing", "Number of request processing.", m.requestsProcessing()));
            out.add(gauge("requests_deferred", "Number of request deferred.", m.requestsDeferred()));
            return out;
        }

        private static double ratio(double a, double b) {
            return b > 0 ? a / b : 0;
        }

        private static MetricFamilySamples counter(String name, String help, double value) {
            return new CounterMetricFamily("llamabox:" + name, help, value);
        }

        private static MetricFamilySamples gauge(String name, String help, double value) {
            return new GaugeMetricFamily("llamabox:" + name, help, value);
        }
    }
}
