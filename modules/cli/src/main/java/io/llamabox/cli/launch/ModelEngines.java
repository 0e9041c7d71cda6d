package io.llamabox.cli.launch;

import io.llamabox.chat.ChatTemplate;
import io.llamabox.config.BoxSettings;
import io.llamabox.config.ChatTemplateSettings;
import io.llamabox.config.LoraAdapter;
import io.llamabox.config.PoolingType;
import io.llamabox.engine.EngineSettings;
import io.llamabox.engine.LlamaEmbeddingEngine;
import io.llamabox.engine.LlamaTextEngine;
import io.llamabox.engine.VisionConfig;
import io.llamabox.jni.Model;
import io.llamabox.server.LoadedModel;
import io.llamabox.spi.image.ImageEngine;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engines a command line asks for, loaded on one copy of the model's weights and closed together.
 * Without {@code --embeddings} and {@code --rerank} that is the text engine. With either flag the model
 * also gets an embedding context; it keeps generating text when it is a plain text model (no pooling
 * of its own, not a reranker), and serves embeddings only when it is an embedding or ranking model.
 * With {@code --images} the model is an image model and the image engine serves it alone.
 */
final class ModelEngines implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelEngines.class);

    private final Model model;
    private final LlamaTextEngine text;
    private final LlamaEmbeddingEngine embeddings;
    private final ImageEngine images;

    private ModelEngines(Model model, LlamaTextEngine text, LlamaEmbeddingEngine embeddings) {
        this.model = model;
        this.text = text;
        this.embeddings = embeddings;
        this.images = null;
    }

    private ModelEngines(ImageEngine images) {
        this.model = null;
        this.text = null;
        this.embeddings = null;
        this.images = images;
    }

    static ModelEngines load(BoxSettings s, String chatTemplateOverride) {
        if (s.server().endpoints().images()) {
            // --images: the model is an image model, served by the image engine alone
            return new ModelEngines(ImageEngines.load(s));
        }
        ComputePlacement.apply(s);
        EngineSettings es = RuntimeSettings.engine(s, chatTemplateOverride);
        var endpoints = s.server().endpoints();
        if (!endpoints.embeddings() && !endpoints.rerank()) {
            return new ModelEngines(null, withProjector(s, withLora(s,
                    LlamaTextEngine.start(es, RuntimeSettings.speculative(s), null))), null);
        }
        Model model = LlamaTextEngine.loadModel(es, null);
        boolean ranking = s.model().context().pooling().map(p -> p == PoolingType.RANK).orElse(false);
        if (ranking || declaresPooling(model)) {
            LlamaEmbeddingEngine embeddings;
            try {
                embeddings = LlamaEmbeddingEngine.attach(model, s.server().alias().orElse(null),
                        RuntimeSettings.context(s.model(), true));
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
            LOG.info("{} is an embedding model: it serves embeddings{}, not text", model.path().getFileName(),
                    embeddings.ranks() ? " and reranking" : "");
            if (!s.model().loraAdapters().isEmpty()) {
                LOG.warn("LoRA adapters apply to text generation; they are not loaded for an embedding model");
            }
            if (!s.model().controlVectors().vectors().isEmpty()) {
                LOG.warn("control vectors apply to text generation; they are not loaded for an embedding model");
            }
            warn(s, embeddings);
            return new ModelEngines(model, null, embeddings);
        }
        // A text model: the text engine owns the model (and frees it if it fails to start); the embedding
        // context shares its weights and is closed before it. Control vectors steer both, as in llama.cpp's
        // server, where one context serves both.
        LlamaTextEngine text = withProjector(s, withLora(s,
                LlamaTextEngine.startWith(es, RuntimeSettings.speculative(s), model)));
        try {
            LlamaEmbeddingEngine embeddings = LlamaEmbeddingEngine.attach(text,
                    s.server().alias().orElse(null), RuntimeSettings.context(s.model(), true),
                    RuntimeSettings.controlVectors(s.model()));
            warn(s, embeddings);
            return new ModelEngines(null, text, embeddings);
        } catch (RuntimeException e) {
            text.close();
            throw e;
        }
    }

    /** The text engine with the {@code --mmproj} projector attached (closed again when it cannot be). */
    private static LlamaTextEngine withProjector(BoxSettings s, LlamaTextEngine text) {
        VisionConfig vision = RuntimeSettings.vision(s);
        if (vision == null) {
            return text;
        }
        try {
            text.attachProjector(vision);
            return text;
        } catch (RuntimeException e) {
            text.close();
            throw e;
        }
    }

    /**
     * The text engine with the {@code --lora}/{@code --lora-scaled} adapters loaded (closed again when
     * they cannot be); with {@code --lora-init-without-apply} they start at scale 0.
     */
    private static LlamaTextEngine withLora(BoxSettings s, LlamaTextEngine text) {
        List<LoraAdapter> adapters = s.model().loraAdapters();
        if (adapters.isEmpty()) {
            return text;
        }
        float[] scales = new float[adapters.size()];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = s.model().loraInitWithoutApply() ? 0f : (float) adapters.get(i).scale();
        }
        try {
            text.loadLoraAdapters(adapters.stream().map(LoraAdapter::path).toList(), scales);
            return text;
        } catch (RuntimeException e) {
            text.close();
            throw e;
        }
    }

    /** Whether the model names its own pooling: embedding and ranking models do, text models do not. */
    private static boolean declaresPooling(Model model) {
        String v = model.metadata().get(model.info().architecture() + ".pooling_type");
        return v != null && !v.isBlank() && !v.trim().equals("0");
    }

    private static void warn(BoxSettings s, LlamaEmbeddingEngine e) {
        if (e.pooling() == io.llamabox.jni.PoolingType.NONE) {
            LOG.warn("pooling is 'none' (the model names no pooling): /v1/embeddings needs one vector per input;"
                    + " start with --pooling mean, cls or last");
        }
        if (s.server().endpoints().rerank() && !e.ranks()) {
            LOG.warn("--rerank: {} has no rank pooling and no classifier head, so /v1/rerank will refuse requests",
                    e.model().id());
        }
    }

    /** The model as the server sees it, with its chat template and (for {@code -tps -1}) its measured speed. */
    LoadedModel serve(BoxSettings s) {
        if (images != null) {
            return LoadedModel.imagesOnly(images);
        }
        if (text == null) {
            return LoadedModel.embeddingsOnly(embeddings);
        }
        ChatTemplateSettings ct = s.model().chatTemplate();
        ChatTemplate template = Serve.template(ct, text.model());
        double measured = s.server().tokensPerSecond() == -1 ? DecodeSpeed.measure(text) : 0;
        return new LoadedModel(text, new ChatPromptRenderer(template, s.model().chatTemplate().kwargs()), measured,
                embeddings);
    }

    /** The model's name as the API reports it. */
    String modelId() {
        if (images != null) {
            return java.nio.file.Path.of(images.model().path()).getFileName().toString();
        }
        return text != null ? text.model().id() : embeddings.model().id();
    }

    @Override
    public void close() {
        if (images != null) {
            images.close();
        }
        if (embeddings != null) {
            embeddings.close();
        }
        if (text != null) {
            text.close();
        }
        if (model != null) {
            model.close();
        }
    }
}
