package io.llamabox.server.images;

import io.helidon.webserver.http.ServerResponse;
import io.llamabox.server.generate.HeldResponse;
import io.llamabox.server.http.ApiErrors;
import io.llamabox.server.http.SseStream;
import io.llamabox.spi.image.GeneratedImage;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams an image generation as {@code image.chunk} events: one per sampling step of each image, one per
 * preview when the request asked for them, then each finished image (in {@code chunk_size} pieces with
 * {@code chunk_result}) with progress 100 and {@code finish_reason} {@code "stop"} on its last piece, the
 * usage on the very last event with {@code include_usage}, and {@code [DONE]}.
 *
 * <p>As for text, the response starts with the first event, so a generation the engine refuses at once
 * still gets its error status; a failure after that is an error event. While the engine is silent (a
 * queued request, a slow step) a keep-alive comment goes out every second, so a client that left is
 * noticed by the failed write and its generation cancelled.
 */
public final class ImageStream {
    private static final Logger LOG = LoggerFactory.getLogger(ImageStream.class);

    private final ImageRun run;
    private final ImageOptions options;

    private ImageStream(ImageRun run, ImageOptions options) {
        this.run = run;
        this.options = options;
    }

    public static void run(ImageRun run, ServerResponse res, ImageOptions options) throws InterruptedException {
        new ImageStream(run, options).stream(res);
    }

    private void stream(ServerResponse res) throws InterruptedException {
        ImageEvent event = run.next(System.nanoTime() + HeldResponse.HEARTBEAT_NANOS);
        if (event instanceof ImageEvent.Failed f) {
            throw run.stopped() ? ImageRun.stopping() : f.error();
        }
        SseStream out = SseStream.open(res);
        try {
            while (true) {
                if (event == null) {
                    out.keepAlive();
                }
                for (; event != null; event = run.poll()) {
                    if (!write(out, event)) {
                        out.close();
                        return;
                    }
                }
                out.flush();
                event = run.next(System.nanoTime() + HeldResponse.HEARTBEAT_NANOS);
            }
        } catch (SseStream.ClientGoneException gone) {
            run.close();
            LOG.info("rid {} | the client closed the connection; its image generation was cancelled",
                    run.request().requestId());
        }
    }

    /** Writes one event; false when it ended the stream. */
    private boolean write(SseStream out, ImageEvent event) {
        switch (event) {
            case ImageEvent.Step s -> out.data(chunk(progress(s.index(), s.step(), s.steps(), null)));
            case ImageEvent.Preview p -> {
                int steps = run.progressSteps(p.index());
                out.data(chunk(progress(p.index(), Math.min(p.step(), steps), steps, ImageBodies.base64(p.image()))));
            }
            case ImageEvent.Completed c -> {
                finished(out, c);
                out.done();
                return false;
            }
            case ImageEvent.Failed f -> {
                if (run.stopped()) {
                    // the server is stopping: a last event in OpenAI's error shape, then the usual end marker
                    out.data(ApiErrors.describe(ImageRun.stopping()));
                    out.done();
                } else {
                    out.data(ApiErrors.describe(f.error()));
                }
                return false;
            }
        }
        return true;
    }

    private void finished(SseStream out, ImageEvent.Completed c) {
        List<GeneratedImage> images = c.images();
        for (int i = 0; i < images.size(); i++) {
            String b64 = ImageBodies.base64(images.get(i));
            int piece = options.chunkResult() ? options.chunkSize() : Math.max(b64.length(), 1);
            int steps = run.progressSteps(i);
            int from = 0;
            do {
                int to = (int) Math.min(b64.length(), (long) from + piece);
                boolean last = to == b64.length();
                ImageBodies.ChunkItem item = new ImageBodies.ChunkItem(i, "image.chunk", steps, steps, 100.0,
                        b64.substring(from, to), last ? "stop" : null);
                boolean withUsage = last && i == images.size() - 1 && options.includeUsage();
                out.data(new ImageBodies.Chunk(now(), List.of(item),
                        withUsage ? ImageBodies.Usage.of(c.usage()) : null));
                from = to;
            } while (from < b64.length());
        }
    }

    /** Progress of a step: decoding the finished latent counts as one more, so only the image itself is 100. */
    private static ImageBodies.ChunkItem progress(int index, int step, int steps, String preview) {
        double percent = 100.0 * step / (steps + 1.0);
        return new ImageBodies.ChunkItem(index, "image.chunk", step, steps, percent, preview, null);
    }

    private static ImageBodies.Chunk chunk(ImageBodies.ChunkItem item) {
        return new ImageBodies.Chunk(now(), List.of(item), null);
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
