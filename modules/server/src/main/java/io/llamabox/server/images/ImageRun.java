package io.llamabox.server.images;

import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.CloseOnce;
import io.llamabox.server.http.Draining;
import io.llamabox.spi.EngineException;
import io.llamabox.spi.TaskHandle;
import io.llamabox.spi.image.GeneratedImage;
import io.llamabox.spi.image.ImageEngine;
import io.llamabox.spi.image.ImageListener;
import io.llamabox.spi.image.ImageRequest;
import io.llamabox.spi.image.ImageUsage;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine task of one image request. The listener runs on the engine's thread and only enqueues
 * events; the request's own thread takes them, notes each image's step count and logs its progress
 * (with the request id). Closing the run cancels the generation unless it has ended: the request's thread does
 * when the client has gone, a drain when the server stops (the request then answers that it is stopping).
 */
public final class ImageRun implements AutoCloseable, Draining.Work {
    private static final Logger LOG = LoggerFactory.getLogger(ImageRun.class);
    /** About this many progress lines are logged per image. */
    private static final int LOGGED_STEPS = 10;

    private final LinkedBlockingQueue<ImageEvent> events = new LinkedBlockingQueue<>();
    private final ImageRequest request;
    private final int[] total;
    private TaskHandle handle;
    private ImageEvent.Completed completed;
    private volatile boolean ended;
    private volatile boolean started;
    private volatile boolean cancelled;
    private final CloseOnce closing = new CloseOnce();

    private ImageRun(ImageRequest request) {
        this.request = request;
        this.total = new int[request.count()];
        Arrays.fill(total, request.steps());
    }

    /** Queues the generation; a refusal by the engine is thrown as it is. */
    public static ImageRun submit(ImageEngine engine, ImageRequest request) {
        ImageRun run = new ImageRun(request);
        LOG.info("rid {} | generating {} image(s) of {}x{}: {} steps of {} ({} schedule), seed {}",
                request.requestId(), request.count(), request.width(), request.height(), request.steps(),
                request.sampleMethod(), request.schedule(), request.seed());
        run.handle = engine.generate(request, run.listener());
        return run;
    }

    private ImageListener listener() {
        return new ImageListener() {
            @Override
            public void onStep(int index, int step, int steps) {
                started = true;
                events.add(new ImageEvent.Step(index, step, steps));
            }

            @Override
            public void onPreview(int index, int step, GeneratedImage preview) {
                events.add(new ImageEvent.Preview(index, step, preview));
            }

            @Override
            public void onComplete(List<GeneratedImage> images, ImageUsage usage) {
                events.add(new ImageEvent.Completed(List.copyOf(images), usage));
            }

            @Override
            public void onError(EngineException error) {
                events.add(new ImageEvent.Failed(error));
            }
        };
    }

    public ImageRequest request() {
        return request;
    }

    /** The next event, waiting until {@code deadlineNanos} ({@link System#nanoTime()}); null if none came. */
    public ImageEvent next(long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        ImageEvent e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : events.poll();
        return e == null ? null : apply(e);
    }

    /** The next event if one is already queued, else null. */
    public ImageEvent poll() {
        ImageEvent e = events.poll();
        return e == null ? null : apply(e);
    }

    /**
     * Waits until the images are done or {@code deadlineNanos} ({@link System#nanoTime()}) passes; returns
     * whether they are done. A failed or cancelled generation throws its error.
     */
    public boolean awaitUntil(long deadlineNanos) throws InterruptedException {
        while (completed == null) {
            ImageEvent e = next(deadlineNanos);
            if (e == null) {
                return false;
            }
            if (e instanceof ImageEvent.Failed f) {
                throw stopped() ? stopping() : f.error();
            }
        }
        return true;
    }

    /** The images and usage, once {@link #awaitUntil} returned true. */
    public ImageEvent.Completed completed() {
        if (completed == null) {
            throw new IllegalStateException("the images are not done");
        }
        return completed;
    }

    /** Sampling steps of image {@code index}, as the engine last reported them (the request's until then). */
    public int progressSteps(int index) {
        return index >= 0 && index < total.length ? total[index] : request.steps();
    }

    private ImageEvent apply(ImageEvent e) {
        switch (e) {
            case ImageEvent.Step s -> {
                if (s.index() >= 0 && s.index() < total.length) {
                    total[s.index()] = s.steps();
                }
                int every = Math.max(1, s.steps() / LOGGED_STEPS);
                if (s.step() % every == 0 || s.step() == s.steps()) {
                    LOG.info("rid {} | image {}/{} | step {}/{}", request.requestId(), s.index() + 1,
                            request.count(), s.step(), s.steps());
                }
            }
            case ImageEvent.Preview p -> {
                // nothing to note: the stream writes it as it is
            }
            case ImageEvent.Completed c -> {
                completed = c;
                ended = true;
                LOG.info("rid {} | {} image(s) done in {} ms", request.requestId(), c.images().size(),
                        Math.round(c.usage().timeToProcessMillis()));
            }
            case ImageEvent.Failed f -> {
                ended = true;
                LOG.info("rid {} | image generation ended: {}", request.requestId(), f.error().getMessage());
            }
        }
        return e;
    }

    /**
     * Whether the generation failed because this run cancelled it while the request still read its events: only
     * a drain does that (the request's own thread closes the run after its last read).
     */
    public boolean stopped() {
        return cancelled;
    }

    /** The answer of a generation a drain cancelled. */
    public static ApiException stopping() {
        return ApiException.stopping("the image generation was cancelled: the server is stopping");
    }

    @Override
    public boolean started() {
        return started;
    }

    /** Cancels the generation unless it has ended (the request's thread or a drain may call it). */
    @Override
    public void close() {
        closing.close(() -> {
            if (!ended && handle != null) {
                cancelled = true;
                handle.cancel();
            }
        });
    }

    @Override
    public void whenClosed(Runnable action) {
        closing.whenClosed(action);
    }
}
