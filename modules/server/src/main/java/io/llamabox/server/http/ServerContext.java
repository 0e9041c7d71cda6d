package io.llamabox.server.http;

import io.llamabox.server.ServerConfig;

/** What every service shares: the configuration, the model, and the token-rate policy. */
public record ServerContext(ServerConfig config, ModelGate model, TokenRate tokenRate, long startedEpochSeconds) {
    public ServerContext(ServerConfig config, ModelGate model) {
        this(config, model, new TokenRate(config.tokensPerSecond()), System.currentTimeMillis() / 1000);
    }
}
