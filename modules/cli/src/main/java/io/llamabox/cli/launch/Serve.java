package io.llamabox.cli.launch;

import io.llamabox.chat.ChatTemplate;
import io.llamabox.chat.SpecialTokens;
import io.llamabox.config.BoxSettings;
import io.llamabox.config.ChatTemplateSettings;
import io.llamabox.server.LlamaBoxServer;
import io.llamabox.server.LoadedModel;
import io.llamabox.spi.ModelDescription;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server mode: the HTTP server starts at once (answering 503 while loading), the model loads in the
 * background, and SIGTERM or SIGINT stops both in order: the server drains (new requests 503, running
 * generations get {@code --shutdown-grace}), then stops, then native memory is freed.
 */
final class Serve {
    private static final Logger LOG = LoggerFactory.getLogger(Serve.class);

    private Serve() {
    }

    static int run(BoxSettings s, String version) throws InterruptedException {
        warnUnavailable(s);
        Backends.load(s);
        CompletableFuture<LoadedModel> loaded = new CompletableFuture<>();
        LlamaBoxServer server = LlamaBoxServer.start(RuntimeSettings.server(s, version), loaded);
        LOG.info("listening on http://{}:{}", s.server().host(), server.port());
        ModelEngines[] engines = new ModelEngines[1];
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            LOG.info("shutting down");
            try {
                server.drain(s.server().shutdownGrace());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server.close();
            synchronized (engines) {
                if (engines[0] != null) {
                    engines[0].close();
                }
            }
            stopped.countDown();
        }, "llama-box-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            ChatTemplateSettings ct = s.model().chatTemplate();
            String override = ct.template().filter(t -> !ct.isBuiltInName()).orElse(null);
            ModelEngines e = ModelEngines.load(s, override);
            synchronized (engines) {
                engines[0] = e;
            }
            loaded.complete(e.serve(s));
            LOG.info("model {} is ready", e.modelId());
        } catch (RuntimeException | LinkageError ex) {
            // a LinkageError: a native library of this build is missing (the image engine's, say)
            LOG.error("cannot serve the model: {}", ex.getMessage());
            loaded.completeExceptionally(ex);
            Runtime.getRuntime().removeShutdownHook(hook);
            hook.run();
            return 1;
        }
        stopped.await();
        return 0;
    }

    static ChatTemplate template(ChatTemplateSettings ct, ModelDescription model) {
        SpecialTokens tokens = new SpecialTokens(model.bosToken(), model.eosToken(), model.addBos(), false);
        if (ct.template().isPresent()) {
            return ct.isBuiltInName() && !ct.jinja() ? ChatTemplate.builtin(ct.template().get())
                    : ChatTemplate.jinja(ct.template().get(), tokens);
        }
        if (!model.chatTemplate().isBlank()) {
            return ChatTemplate.jinja(model.chatTemplate(), tokens);
        }
        LOG.warn("the model has no chat template: chats use chatml");
        return ChatTemplate.builtin("chatml");
    }

    /** Flags that cannot take effect as given: said once at startup, then ignored. */
    private static void warnUnavailable(BoxSettings s) {
        if (s.visual().maxProjectedCache() > 0) {
            LOG.warn("--max-projected-cache {} has no effect in this build: it keeps no separate cache of projected"
                    + " images (an image after the same prompt prefix comes from the prompt cache)",
                    s.visual().maxProjectedCache());
        }
        var sp = s.speculative();
        if ((sp.lookupCacheStatic().isPresent() || sp.lookupCacheDynamic().isPresent())
                && (sp.lookupNgramMin() == 0 || sp.draftModel().isPresent())) {
            LOG.warn("-lcs/-lcd are used by n-gram lookup drafting only ({}); the files are ignored",
                    sp.draftModel().isPresent() ? "a draft model is given" : "--lookup-ngram-min is 0");
        }
    }
}
