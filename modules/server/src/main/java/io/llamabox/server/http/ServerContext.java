package io.llamabox.server.http;

import io.llamabox.server.ServerConfig;

/** What every service shares: the configuration, the model, the token-rate policy, and the server's draining. */
public record ServerContext(ServerConfig config, ModelGate model, TokenRate tokenRate, long startedEpochSeconds,
                            Draining draining) {
    public ServerContext(ServerConfig config, ModelGate model) {
        this(config, model, new TokenRate(config.tokensPerSecond()), System.currentTimeMillis() / 1000, new Draining());
    }
}
