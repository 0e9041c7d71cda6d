package io.llamabox.server.vision;

import io.llamabox.server.generate.Prompts;
import io.llamabox.spi.MediaPrompt;
import io.llamabox.spi.PromptImage;
import io.llamabox.spi.TextEngine;
import java.util.List;

/**
 * A rendered chat prompt tokenized for the engine: plain tokens, or, when the chat has images, the
 * engine's tokens for text and images together. Closing it lets go of the images (the engine keeps them
 * for generations that still need them).
 */
public final class ChatPrompt implements AutoCloseable {
    private final int[] tokens;
    private final MediaPrompt media;

    private ChatPrompt(int[] tokens, MediaPrompt media) {
        this.tokens = tokens;
        this.media = media;
    }

    /** Tokenizes {@code rendered}, fetching and handing the chat's images to the engine when it has some. */
    public static ChatPrompt of(String rendered, ChatImages images, ImageFetcher fetcher, TextEngine engine) {
        if (images.isEmpty()) {
            return new ChatPrompt(Prompts.rendered(rendered, engine), null);
        }
        List<PromptImage> pictures = images.load(fetcher);
        MediaPrompt media = Prompts.rendered(rendered, pictures, engine);
        return new ChatPrompt(media.tokens(), media);
    }

    /** The prompt of the engine requests. */
    public int[] tokens() {
        return tokens;
    }

    /** The images to submit with the requests; null for a text prompt. */
    public MediaPrompt media() {
        return media;
    }

    @Override
    public void close() {
        if (media != null) {
            media.close();
        }
    }
}
