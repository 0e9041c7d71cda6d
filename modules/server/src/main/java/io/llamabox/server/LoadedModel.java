package io.llamabox.server;

import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.ErrorKind;
import io.llamabox.spi.EmbeddingEngine;
import io.llamabox.spi.ModelDescription;
import io.llamabox.spi.TextEngine;
import io.llamabox.spi.Tokenizer;
import io.llamabox.spi.image.ImageEngine;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A model ready to serve: its text engine with the renderer of its chat template, the decode speed
 * measured at start when {@code --tokens-per-second -1} asked for it (0 when not measured), and its
 * embedding engine when {@code --embeddings} or {@code --rerank} loaded one. A model loaded only for
 * embeddings (an encoder such as BERT) has no text engine; a text model with {@code --embeddings}
 * has both, sharing the weights. An image model ({@code --images} on a diffusion model) has only its
 * image engine: the text endpoints then answer 400 saying so.
 */
public record LoadedModel(TextEngine engine, PromptRenderer renderer, double measuredTokensPerSecond,
                          EmbeddingEngine embeddings, ImageEngine images) {
    public LoadedModel {
        if (engine == null && embeddings == null && images == null) {
            throw new IllegalArgumentException("a loaded model needs a text, an embedding or an image engine");
        }
        if (images != null && (engine != null || embeddings != null)) {
            throw new IllegalArgumentException("an image model has no text or embedding engine");
        }
        if (engine != null) {
            Objects.requireNonNull(renderer, "renderer");
        }
        if (!(measuredTokensPerSecond >= 0)) {
            throw new IllegalArgumentException("measured tokens per second must be >= 0, got " + measuredTokensPerSecond);
        }
    }

    public LoadedModel(TextEngine engine, PromptRenderer renderer, double measuredTokensPerSecond,
                       EmbeddingEngine embeddings) {
        this(engine, renderer, measuredTokensPerSecond, embeddings, null);
    }

    public LoadedModel(TextEngine engine, PromptRenderer renderer, double measuredTokensPerSecond) {
        this(Objects.requireNonNull(engine, "engine"), renderer, measuredTokensPerSecond, null, null);
    }

    public LoadedModel(TextEngine engine, PromptRenderer renderer) {
        this(engine, renderer, 0);
    }

    /** A model that only embeds or ranks: text generation answers 501. */
    public static LoadedModel embeddingsOnly(EmbeddingEngine embeddings) {
        return new LoadedModel(null, null, 0, Objects.requireNonNull(embeddings, "embeddings"), null);
    }

    /** An image model: only {@code /v1/images/generations} generates; the text endpoints answer 400. */
    public static LoadedModel imagesOnly(ImageEngine images) {
        return new LoadedModel(null, null, 0, null, Objects.requireNonNull(images, "images"));
    }

    /** The text engine; a 400 for an image model, a 501 for a model loaded only for embeddings. */
    @Override
    public TextEngine engine() {
        if (engine == null) {
            requireNotImages();
            throw new ApiException(ErrorKind.NOT_SUPPORTED, "This server does not generate text: model "
                    + embeddings.model().id() + " was loaded for embeddings and reranking only");
        }
        return engine;
    }

    /** The embedding engine; a 400 for an image model, a 501 naming the flags when none was loaded. */
    @Override
    public EmbeddingEngine embeddings() {
        if (embeddings == null) {
            requireNotImages();
            throw new ApiException(ErrorKind.NOT_SUPPORTED,
                    "This server does not support embeddings. Start it with `--embeddings` or `--rerank`");
        }
        return embeddings;
    }

    /** The image engine; a 400 for a text or embedding model (the server runs with {@code --images}). */
    @Override
    public ImageEngine images() {
        if (images == null) {
            throw ApiException.invalid("model " + description().id()
                    + " is not an image model: it does not generate images. Start the server with `--images` "
                    + "on an image (diffusion) model");
        }
        return images;
    }

    public boolean generatesText() {
        return engine != null;
    }

    public boolean embeds() {
        return embeddings != null;
    }

    public boolean generatesImages() {
        return images != null;
    }

    /** What the API says about a text or embedding model: the text engine's view when there is one. */
    public ModelDescription description() {
        requireNotImages();
        return engine != null ? engine.model() : embeddings.model();
    }

    /** The model's id as the API reports it (before {@code --alias}): its file name. */
    public String id() {
        return images != null ? imageModelId(images) : description().id();
    }

    /** The model's vocabulary, whichever engine holds it; a 400 for an image model. */
    public Tokenizer tokenizer() {
        requireNotImages();
        return engine != null ? engine : embeddings;
    }

    private void requireNotImages() {
        if (images != null) {
            throw ApiException.invalid("model " + imageModelId(images) + " is an image model: this server only "
                    + "generates images (POST /v1/images/generations)");
        }
    }

    private static String imageModelId(ImageEngine images) {
        Path name = Path.of(images.model().path()).getFileName();
        return name == null ? images.model().path() : name.toString();
    }
}
