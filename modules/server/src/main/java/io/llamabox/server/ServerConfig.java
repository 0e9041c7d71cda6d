package io.llamabox.server;

import io.llamabox.spi.Sampling;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Everything the HTTP server needs to know, built once by the command line.
 *
 * @param host address to listen on
 * @param port port to listen on; 0 picks a free one (see {@link LlamaBoxServer#port()})
 * @param timeout socket read timeout ({@code --timeout})
 * @param httpThreads the most requests handled at once ({@code --threads-http}), the others wait;
 *        0 or less: no limit
 * @param connectionIdle how often idle connections are looked for ({@code --conn-idle})
 * @param connectionKeepAlive how long a kept-alive connection may wait for its next request
 *        ({@code --conn-keepalive}); zero closes every connection after its response
 * @param maxRequestBytes the largest request body accepted; larger ones get 413
 * @param alias the model name the API reports ({@code --alias}); the model's own id when empty
 * @param endpoints the optional endpoints switched on
 * @param slotSavePath where slots are saved ({@code --slot-save-path}), if anywhere
 * @param tokensPerSecond {@code --tokens-per-second}: 0 off, -1 the measured speed, N the maximum
 * @param sampling the sampling parameters requests start from
 * @param nPredict tokens to predict when a request says nothing ({@code -n}): -1 unlimited, -2 until
 *        the context is full; a positive value also caps what requests may ask for
 * @param nKeep tokens of the prompt kept on a context shift ({@code --keep})
 * @param cachePrompt whether requests reuse a slot's cached prompt by default
 * @param returnSpecial whether special tokens are rendered in the output ({@code --special})
 * @param maxProbabilities the most alternatives a request may ask for ({@code n_probs},
 *        {@code top_logprobs}, {@code logprobs})
 * @param maxChoices the most choices one request may ask for ({@code n} times the prompts)
 * @param version the version in the {@code Server: llama-box/<version>} header
 * @param spmInfill whether {@code /infill} puts the suffix before the prefix ({@code --spm-infill})
 * @param loraInitWithoutApply whether LoRA scales may be changed with {@code POST /lora-adapters}
 *        ({@code --lora-init-without-apply})
 * @param fetchImageUrls whether chat images given as http(s) URLs are fetched (off with
 *        {@code --no-visual-url-fetch}: then only {@code data:} URIs are accepted)
 * @param imageLimits what one image generation may ask for ({@code --image-max-batch},
 *        {@code --image-max-width}, {@code --image-max-height})
 */
public record ServerConfig(String host, int port, Duration timeout, int httpThreads, Duration connectionIdle,
                           Duration connectionKeepAlive, long maxRequestBytes, Optional<String> alias,
                           EndpointFlags endpoints, Optional<Path> slotSavePath, int tokensPerSecond,
                           Sampling sampling, int nPredict, int nKeep, boolean cachePrompt, boolean returnSpecial,
                           int maxProbabilities, int maxChoices, String version, boolean spmInfill,
                           boolean loraInitWithoutApply, boolean fetchImageUrls, ImageLimits imageLimits) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    /** 64 MiB: room for a long chat with inline images. */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 64L << 20;

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
        positive("timeout", timeout);
        positive("connection idle", connectionIdle);
        Objects.requireNonNull(connectionKeepAlive, "connectionKeepAlive");
        if (connectionKeepAlive.isNegative()) {
            throw new IllegalArgumentException("connection keep-alive must not be negative");
        }
        if (maxRequestBytes <= 0) {
            throw new IllegalArgumentException("max request bytes must be positive, got " + maxRequestBytes);
        }
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(slotSavePath, "slotSavePath");
        if (tokensPerSecond < -1) {
            throw new IllegalArgumentException("tokens per second must be -1, 0 or positive, got " + tokensPerSecond);
        }
        Objects.requireNonNull(sampling, "sampling");
        if (nPredict < -2) {
            throw new IllegalArgumentException("n_predict must be >= -2, got " + nPredict);
        }
        if (nKeep < -1) {
            throw new IllegalArgumentException("n_keep must be >= -1, got " + nKeep);
        }
        if (maxProbabilities < 0) {
            throw new IllegalArgumentException("max probabilities must not be negative, got " + maxProbabilities);
        }
        if (maxChoices < 1) {
            throw new IllegalArgumentException("max choices must be at least 1, got " + maxChoices);
        }
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(imageLimits, "imageLimits");
    }

    /** As the canonical constructor, with the default image limits. */
    public ServerConfig(String host, int port, Duration timeout, int httpThreads, Duration connectionIdle,
                        Duration connectionKeepAlive, long maxRequestBytes, Optional<String> alias,
                        EndpointFlags endpoints, Optional<Path> slotSavePath, int tokensPerSecond,
                        Sampling sampling, int nPredict, int nKeep, boolean cachePrompt, boolean returnSpecial,
                        int maxProbabilities, int maxChoices, String version, boolean spmInfill,
                        boolean loraInitWithoutApply, boolean fetchImageUrls) {
        this(host, port, timeout, httpThreads, connectionIdle, connectionKeepAlive, maxRequestBytes, alias, endpoints,
                slotSavePath, tokensPerSecond, sampling, nPredict, nKeep, cachePrompt, returnSpecial, maxProbabilities,
                maxChoices, version, spmInfill, loraInitWithoutApply, fetchImageUrls, ImageLimits.defaults());
    }

    /**
     * The most one {@code POST /v1/images/generations} may ask for: images per request and each side in
     * pixels (a multiple of 64, at least 256).
     *
     * @param maxBatch most images per request ({@code --image-max-batch})
     * @param maxWidth largest width ({@code --image-max-width})
     * @param maxHeight largest height ({@code --image-max-height})
     */
    public record ImageLimits(int maxBatch, int maxWidth, int maxHeight) {
        /** The smallest side a request may ask for, and the step of sizes. */
        public static final int MIN_SIDE = 256;
        public static final int SIDE_STEP = 64;

        public ImageLimits {
            if (maxBatch < 1) {
                throw new IllegalArgumentException("image max batch must be at least 1, got " + maxBatch);
            }
            side("image max width", maxWidth);
            side("image max height", maxHeight);
        }

        private static void side(String name, int v) {
            if (v < MIN_SIDE || v % SIDE_STEP != 0) {
                throw new IllegalArgumentException(name + " must be a multiple of " + SIDE_STEP + " and at least "
                        + MIN_SIDE + ", got " + v);
            }
        }

        /** llama-box's defaults: 4 images of up to 1024x1024. */
        public static ImageLimits defaults() {
            return new ImageLimits(4, 1024, 1024);
        }
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    /** The model name the API reports. */
    public String modelName(String modelId) {
        return alias.orElse(modelId);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** llama-box's sampling defaults (see its {@code --help}). */
    public static Sampling defaultSampling() {
        return new Sampling(-1, List.of("penalties", "dry", "top_k", "typ_p", "top_p", "min_p", "xtc", "temperature"),
                0.8f, 0.0f, 1.0f, 40, 0.9f, 0.1f, 1.0f, 0.0f, 0.1f, 64, 1.0f, 0.0f, 0.0f, 0.0f, 1.75f, 2, -1,
                List.of("\n", ":", "\"", "*"), 0, 5.0f, 0.1f, Map.of(), "", false, List.of(), List.of(), 0, -1f);
    }

    /** This module's version, from the build. */
    public static String moduleVersion() {
        try (InputStream in = ServerConfig.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds a {@link ServerConfig}; starts from llama-box's defaults. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Duration timeout = Duration.ofSeconds(600);
        private int httpThreads = -1;
        private Duration connectionIdle = Duration.ofSeconds(60);
        private Duration connectionKeepAlive = Duration.ofSeconds(15);
        private long maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
        private Optional<String> alias = Optional.empty();
        private EndpointFlags endpoints = EndpointFlags.none();
        private Optional<Path> slotSavePath = Optional.empty();
        private int tokensPerSecond;
        private Sampling sampling = defaultSampling();
        private int nPredict = -1;
        private int nKeep;
        private boolean cachePrompt = true;
        private boolean returnSpecial;
        private int maxProbabilities = 20;
        private int maxChoices = 128;
        private String version = moduleVersion();
        private boolean spmInfill;
        private boolean loraInitWithoutApply;
        private boolean fetchImageUrls = true;
        private ImageLimits imageLimits = ImageLimits.defaults();

        private Builder() {
        }

        private Builder(ServerConfig c) {
            host = c.host;
            port = c.port;
            timeout = c.timeout;
            httpThreads = c.httpThreads;
            connectionIdle = c.connectionIdle;
            connectionKeepAlive = c.connectionKeepAlive;
            maxRequestBytes = c.maxRequestBytes;
            alias = c.alias;
            endpoints = c.endpoints;
            slotSavePath = c.slotSavePath;
            tokensPerSecond = c.tokensPerSecond;
            sampling = c.sampling;
            nPredict = c.nPredict;
            nKeep = c.nKeep;
            cachePrompt = c.cachePrompt;
            returnSpecial = c.returnSpecial;
            maxProbabilities = c.maxProbabilities;
            maxChoices = c.maxChoices;
            version = c.version;
            spmInfill = c.spmInfill;
            loraInitWithoutApply = c.loraInitWithoutApply;
            fetchImageUrls = c.fetchImageUrls;
            imageLimits = c.imageLimits;
        }

        public Builder host(String v) {
            host = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder timeout(Duration v) {
            timeout = v;
            return this;
        }

        public Builder httpThreads(int v) {
            httpThreads = v;
            return this;
        }

        public Builder connectionIdle(Duration v) {
            connectionIdle = v;
            return this;
        }

        public Builder connectionKeepAlive(Duration v) {
            connectionKeepAlive = v;
            return this;
        }

        public Builder maxRequestBytes(long v) {
            maxRequestBytes = v;
            return this;
        }

        public Builder alias(Optional<String> v) {
            alias = v;
            return this;
        }

        public Builder endpoints(EndpointFlags v) {
            endpoints = v;
            return this;
        }

        public Builder slotSavePath(Optional<Path> v) {
            slotSavePath = v;
            return this;
        }

        public Builder tokensPerSecond(int v) {
            tokensPerSecond = v;
            return this;
        }

        public Builder sampling(Sampling v) {
            sampling = v;
            return this;
        }

        public Builder nPredict(int v) {
            nPredict = v;
            return this;
        }

        public Builder nKeep(int v) {
            nKeep = v;
            return this;
        }

        public Builder cachePrompt(boolean v) {
            cachePrompt = v;
            return this;
        }

        public Builder returnSpecial(boolean v) {
            returnSpecial = v;
            return this;
        }

        public Builder maxProbabilities(int v) {
            maxProbabilities = v;
            return this;
        }

        public Builder maxChoices(int v) {
            maxChoices = v;
            return this;
        }

        public Builder version(String v) {
            version = v;
            return this;
        }

        public Builder spmInfill(boolean v) {
            spmInfill = v;
            return this;
        }

        public Builder loraInitWithoutApply(boolean v) {
            loraInitWithoutApply = v;
            return this;
        }

        public Builder fetchImageUrls(boolean v) {
            fetchImageUrls = v;
            return this;
        }

        public Builder imageLimits(ImageLimits v) {
            imageLimits = v;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(host, port, timeout, httpThreads, connectionIdle, connectionKeepAlive,
                    maxRequestBytes, alias, endpoints, slotSavePath, tokensPerSecond, sampling, nPredict, nKeep,
                    cachePrompt, returnSpecial, maxProbabilities, maxChoices, version, spmInfill,
                    loraInitWithoutApply, fetchImageUrls, imageLimits);
        }
    }
}
