package io.llamabox.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP server.
 *
 * @param host address to listen on ({@code --host})
 * @param port port to listen on, 0 for any free port ({@code --port})
 * @param timeout read/write timeout ({@code -to, --timeout})
 * @param httpThreads threads for HTTP requests, -1 to decide automatically ({@code --threads-http})
 * @param connectionIdle how long an idle connection is kept ({@code --conn-idle})
 * @param connectionKeepAlive keep-alive time of a connection ({@code --conn-keepalive})
 * @param endpoints optional endpoints switched on
 * @param alias model name to report instead of the file name ({@code -a, --alias})
 * @param slotSavePath folder for saved slot KV caches; absent disables saving ({@code --slot-save-path})
 * @param tokensPerSecond per-request token rate limit: 0 off, -1 measure at start, N maximum ({@code -tps})
 * @param shutdownGrace how long generations that run when SIGTERM or SIGINT comes may go on before they
 *        are ended ({@code --shutdown-grace}, an extension)
 */
public record ServerSettings(String host, int port, Duration timeout, int httpThreads, Duration connectionIdle,
        Duration connectionKeepAlive, Endpoints endpoints, Optional<String> alias, Optional<Path> slotSavePath,
        int tokensPerSecond, Duration shutdownGrace) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    /** {@link #tokensPerSecond()} value that asks the server to measure its own decode speed. */
    public static final int DETECT_TOKENS_PER_SECOND = -1;
    /**
     * Room for running answers to finish after SIGTERM: well inside the 10 s that {@code docker stop} waits
     * before SIGKILL (Kubernetes waits 30 s), leaving time to end the rest properly and free the engine.
     */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(5);

    public ServerSettings {
        Invariants.notBlank("host", host);
        Invariants.between("port", port, 0, 65535);
        positiveSeconds("timeout", timeout);
        Invariants.automaticOrAtLeast("HTTP thread count", httpThreads, 1);
        positiveSeconds("connection idle time", connectionIdle);
        Invariants.present("connection keep-alive time", connectionKeepAlive);
        if (connectionKeepAlive.isNegative()) {
            throw new IllegalArgumentException("connection keep-alive time must not be negative");
        }
        Invariants.present("endpoints", endpoints);
        Invariants.optional("alias", alias);
        alias.ifPresent(a -> Invariants.notBlank("alias", a));
        Invariants.optional("slot save path", slotSavePath);
        Invariants.atLeast("tokens per second", tokensPerSecond, DETECT_TOKENS_PER_SECOND);
        Invariants.present("shutdown grace", shutdownGrace);
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdown grace must not be negative");
        }
    }

    private static void positiveSeconds(String name, Duration value) {
        Invariants.present(name, value);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value.toSeconds() + "s");
        }
    }

    /** The settings that apply when nothing is given. */
    public static ServerSettings defaults() {
        return builder().build();
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects server settings; starts from the spec's defaults. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Duration timeout = Duration.ofSeconds(600);
        private int httpThreads = -1;
        private Duration connectionIdle = Duration.ofSeconds(60);
        private Duration connectionKeepAlive = Duration.ofSeconds(15);
        private boolean metrics;
        private boolean infill;
        private boolean embeddings;
        private boolean images;
        private boolean rerank;
        private boolean slots;
        private String alias;
        private Path slotSavePath;
        private int tokensPerSecond;
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;

        private Builder() {
        }

        public Builder host(String value) {
            host = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder timeout(Duration value) {
            timeout = value;
            return this;
        }

        public Builder httpThreads(int value) {
            httpThreads = value;
            return this;
        }

        public Builder connectionIdle(Duration value) {
            connectionIdle = value;
            return this;
        }

        public Builder connectionKeepAlive(Duration value) {
            connectionKeepAlive = value;
            return this;
        }

        public Builder metrics(boolean value) {
            metrics = value;
            return this;
        }

        public Builder infill(boolean value) {
            infill = value;
            return this;
        }

        public Builder embeddings(boolean value) {
            embeddings = value;
            return this;
        }

        public Builder images(boolean value) {
            images = value;
            return this;
        }

        public Builder rerank(boolean value) {
            rerank = value;
            return this;
        }

        public Builder slots(boolean value) {
            slots = value;
            return this;
        }

        public Builder alias(String value) {
            alias = Objects.requireNonNull(value, "alias");
            return this;
        }

        public Builder slotSavePath(Path value) {
            slotSavePath = Objects.requireNonNull(value, "slot save path");
            return this;
        }

        public Builder tokensPerSecond(int value) {
            tokensPerSecond = value;
            return this;
        }

        public Builder shutdownGrace(Duration value) {
            shutdownGrace = value;
            return this;
        }

        /** The settings; fails with {@link IllegalArgumentException} naming the first invalid one. */
        public ServerSettings build() {
            return new ServerSettings(host, port, timeout, httpThreads, connectionIdle, connectionKeepAlive,
                    new Endpoints(metrics, infill, embeddings, images, rerank, slots), Optional.ofNullable(alias),
                    Optional.ofNullable(slotSavePath), tokensPerSecond, shutdownGrace);
        }
    }
}
