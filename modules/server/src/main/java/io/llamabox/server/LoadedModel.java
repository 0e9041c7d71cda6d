package io.llamabox.server;

import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.ErrorKind;
import io.llamabox.spi.EmbeddingEngine;
import io.llamabox.spi.ModelDescription;
import io.llamabox.spi.TextEngine;
import io.llamabox.spi.Tokenizer;
import java.util.Objects;

/**
 * A model ready to serve: its text engine with the renderer of its chat template, the decode speed
 * measured at start when {@code --tokens-per-second -1} asked for it (0 when not measured), and its
 * embedding engine when {@code --embeddings} or {@code --rerank} loaded one. A model loaded only for
 * embeddings (an encoder such as BERT) has no text engine; a text model with {@code --embeddings}
 * has both, sharing the weights.
 */
public record LoadedModel(TextEngine engine, PromptRenderer renderer, double measuredTokensPerSecond,
                          EmbeddingEngine embeddings) {
    public LoadedModel {
        if (engine == null && embeddings == null) {
            throw new IllegalArgumentException("a loaded model needs a text engine, an embedding engine or both");
        }
        if (engine != null) {
            Objects.requireNonNull(renderer, "renderer");
        }
        if (!(measuredTokensPerSecond >= 0)) {
            throw new IllegalArgumentException("measured tokens per second must be >= 0, got " + measuredTokensPerSecond);
        }
    }

    public LoadedModel(TextEngine engine, PromptRenderer renderer, double measuredTokensPerSecond) {
        this(Objects.requireNonNull(engine, "engine"), renderer, measuredTokensPerSecond, null);
    }

    public LoadedModel(TextEngine engine, PromptRenderer renderer) {
        this(engine, renderer, 0);
    }

    /** A model that only embeds or ranks: text generation answers 501. */
    public static LoadedModel embeddingsOnly(EmbeddingEngine embeddings) {
        return new LoadedModel(null, null, 0, Objects.requireNonNull(embeddings, "embeddings"));
    }

    /** The text engine; a 501 for a model loaded only for embeddings. */
    @Override
    public TextEngine engine() {
        if (engine == null) {
            throw new ApiException(ErrorKind.NOT_SUPPORTED, "This server does not generate text: model "
                    + embeddings.model().id() + " was loaded for embeddings and reranking only");
        }
        return engine;
    }

    /** The embedding engine; a 501 naming the flags when none was loaded. */
    @Override
    public EmbeddingEngine embeddings() {
        if (embeddings == null) {
            throw new ApiException(ErrorKind.NOT_SUPPORTED,
                    "This server does not support embeddings. Start it with `--embeddings` or `--rerank`");
        }
        return embeddings;
    }

    public boolean generatesText() {
        return engine != null;
    }

    public boolean embeds() {
        return embeddings != null;
    }

    /** What the API says about the model: the text engine's view when there is one. */
    public ModelDescription description() {
        return engine != null ? engine.model() : embeddings.model();
    }

    /** The model's vocabulary, whichever engine holds it. */
    public Tokenizer tokenizer() {
        return engine != null ? engine : embeddings;
    }
}
