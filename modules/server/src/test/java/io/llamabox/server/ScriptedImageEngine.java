package io.llamabox.server;

import io.llamabox.spi.EngineException;
import io.llamabox.spi.LoraAdapterInfo;
import io.llamabox.spi.TaskHandle;
import io.llamabox.spi.image.GeneratedImage;
import io.llamabox.spi.image.ImageDefaults;
import io.llamabox.spi.image.ImageEngine;
import io.llamabox.spi.image.ImageListener;
import io.llamabox.spi.image.ImageMetrics;
import io.llamabox.spi.image.ImageModel;
import io.llamabox.spi.image.ImagePreview;
import io.llamabox.spi.image.ImageRequest;
import io.llamabox.spi.image.ImageUsage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A fake image engine: every image is a PNG of one colour chosen by its seed, made after the request's
 * steps, each reported (with a small grey preview when asked for), on the engine's own thread. A
 * generation can be held after its first step until the test opens the gate or cancels it, or made to
 * fail at a step.
 */
final class ScriptedImageEngine implements ImageEngine {
    static final ImageDefaults DEFAULTS = new ImageDefaults("euler_a", "discrete", 4, 7.0, 3.5, 0.75);
    static final ImageMetrics METRICS = new ImageMetrics(12.5, 10.0, 40);
    static final ImageUsage USAGE = new ImageUsage(1500.0, 700.0, 1.5);

    final List<ImageRequest> requests = new CopyOnWriteArrayList<>();
    final List<AtomicBoolean> cancels = new CopyOnWriteArrayList<>();
    /** The images each generation made, in order. */
    final List<List<GeneratedImage>> made = new CopyOnWriteArrayList<>();
    /** Opens when a generation is first cancelled. */
    final CountDownLatch cancelled = new CountDownLatch(1);
    /** Opens when a generation has reported its first step and waits at {@link #afterFirstStep}. */
    final CountDownLatch atGate = new CountDownLatch(1);
    /** When set, a generation waits here after its first step. */
    volatile CountDownLatch afterFirstStep;
    /** When positive, a generation fails at this step of its first image. */
    volatile int failAtStep;
    /** Whether a generation runs to its end on the calling thread, before {@code generate} returns. */
    volatile boolean inline;

    @Override
    public ImageModel model() {
        return new ImageModel("/models/sd-test.gguf", "SD1", DEFAULTS);
    }

    @Override
    public TaskHandle generate(ImageRequest request, ImageListener listener) {
        requests.add(request);
        AtomicBoolean cancel = new AtomicBoolean();
        cancels.add(cancel);
        if (inline) {
            run(request, listener, cancel);
        } else {
            Thread.ofPlatform().daemon().name("scripted-image-engine").start(() -> run(request, listener, cancel));
        }
        return () -> {
            cancel.set(true);
            cancelled.countDown();
        };
    }

    private void run(ImageRequest r, ImageListener listener, AtomicBoolean cancelled) {
        List<GeneratedImage> images = new ArrayList<>();
        for (int i = 0; i < r.count(); i++) {
            for (int step = 1; step <= r.steps(); step++) {
                if (cancelled.get()) {
                    listener.onError(new EngineException(EngineException.Kind.UNAVAILABLE, "cancelled"));
                    return;
                }
                if (i == 0 && step == failAtStep) {
                    listener.onError(new EngineException(EngineException.Kind.INTERNAL, "sampling failed"));
                    return;
                }
                listener.onStep(i, step, r.steps());
                if (r.preview() != ImagePreview.NONE) {
                    listener.onPreview(i, step, preview(step));
                }
                CountDownLatch gate = afterFirstStep;
                if (i == 0 && step == 1 && gate != null) {
                    atGate.countDown();
                    await(gate, cancelled);
                }
            }
            images.add(image(r.width(), r.height(), r.seed() + i));
        }
        made.add(List.copyOf(images));
        listener.onComplete(images, USAGE);
    }

    /** The image a seed makes. */
    static GeneratedImage image(int width, int height, long seed) {
        return new GeneratedImage(width, height, png(width, height, colour(seed)));
    }

    static int colour(long seed) {
        return (int) ((seed * 2654435761L) & 0xFFFFFF);
    }

    private static GeneratedImage preview(int step) {
        int grey = (step * 16) & 0xFF;
        return new GeneratedImage(8, 8, png(8, 8, grey << 16 | grey << 8 | grey));
    }

    /** A PNG of one RGB colour. */
    static byte[] png(int width, int height, int rgb) {
        byte[] row = new byte[1 + width * 3];
        for (int x = 0; x < width; x++) {
            row[1 + x * 3] = (byte) (rgb >> 16);
            row[2 + x * 3] = (byte) (rgb >> 8);
            row[3 + x * 3] = (byte) rgb;
        }
        Deflater deflater = new Deflater();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (int y = 0; y < height; y++) {
            raw.writeBytes(row);
        }
        deflater.setInput(raw.toByteArray());
        deflater.finish();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            compressed.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(out, "IDAT", compressed.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(name);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    ImageRequest lastRequest() {
        return requests.getLast();
    }

    @Override
    public List<LoraAdapterInfo> loraAdapters() {
        return List.of(new LoraAdapterInfo(0, "/models/style.gguf", 0.5f), new LoraAdapterInfo(1, "/models/detail.gguf",
                1.0f));
    }

    @Override
    public ImageMetrics metrics() {
        return METRICS;
    }

    @Override
    public void close() {
    }

    /** Holds the generation until the test opens the gate or it is cancelled, however long that takes. */
    private static void await(CountDownLatch gate, AtomicBoolean cancelled) {
        try {
            while (!gate.await(20, TimeUnit.MILLISECONDS) && !cancelled.get()) {
                // a generation held at the gate still notices its cancellation
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
