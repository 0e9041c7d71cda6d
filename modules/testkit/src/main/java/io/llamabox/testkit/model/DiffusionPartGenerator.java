package io.llamabox.testkit.model;

import io.llamabox.testkit.gguf.GgufWriter;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes the random-weight pieces of {@link DiffusionPartSpec} in the tensor names and shapes
 * stable-diffusion.cpp builds for them, with the types and scales of {@link DiffusionModelGenerator}.
 */
public final class DiffusionPartGenerator {

    /** TAESD's fixed width, and the number of its blocks between two resolution changes. */
    static final int TAESD_CHANNELS = 64;
    private static final int TAESD_BLOCKS = 3;
    private static final int RGB = 3;
    /** ESRGAN's feature width and dense-block growth, fixed in stable-diffusion.cpp. */
    static final int ESRGAN_FEATURES = 64;
    private static final int ESRGAN_GROWTH = 32;
    private static final int ESRGAN_DENSE_CONVS = 5;
    /** The hint encoder's convolutions (input_hint_block.0, .2, ..., .14) and their output channels; the last has the UNet's width. */
    private static final int[] HINT_CHANNELS = {16, 16, 32, 32, 96, 96, 256};

    private DiffusionPartGenerator() {
    }

    /** Writes the piece to {@code path} and returns the file size. */
    public static long write(DiffusionPartSpec spec, Path path) throws IOException {
        return writer(spec).write(path);
    }

    /** A writer holding the piece's tensors. */
    public static GgufWriter writer(DiffusionPartSpec spec) {
        GgufWriter w = new GgufWriter().maxNameBytes(GgufWriter.DIFFUSION_MAX_NAME_BYTES);
        w.putString("general.name", spec.name());
        DiffusionModelGenerator.Weights t = new DiffusionModelGenerator.Weights(w, spec.seed());
        switch (spec.kind()) {
            case TAESD -> taesd(t);
            case CONTROL_NET -> controlNet(t, DiffusionSpec.sd1ForControlNet());
            case ESRGAN -> esrgan(t);
        }
        return w;
    }

    /**
     * TAESD's encoder (image to latent, three stride-2 steps) and decoder (latent to image, three nearest
     * upsamplings), as {@code encoder.layers.N} and {@code decoder.layers.N} where N counts the
     * activations and upsamplings too, which hold no weights.
     */
    private static void taesd(DiffusionModelGenerator.Weights t) {
        int ch = TAESD_CHANNELS;
        int latent = DiffusionModelGenerator.LATENT_CHANNELS;
        String e = "encoder.layers.";
        int i = 0;
        t.conv(e + i++, 3, RGB, ch);
        taeBlock(t, e + i++);
        for (int step = 0; step < 3; step++) {
            t.convKernel(e + i++, 3, ch, ch, 1f);
            for (int b = 0; b < TAESD_BLOCKS; b++) {
                taeBlock(t, e + i++);
            }
        }
        t.conv(e + i, 3, ch, latent);

        String d = "decoder.layers.";
        i = 0;
        t.conv(d + i++, 3, latent, ch);
        i++;
        for (int step = 0; step < 3; step++) {
            for (int b = 0; b < TAESD_BLOCKS; b++) {
                taeBlock(t, d + i++);
            }
            i++;
            t.convKernel(d + i++, 3, ch, ch, 1f);
        }
        taeBlock(t, d + i++);
        t.conv(d + i, 3, ch, RGB);
    }

    private static void taeBlock(DiffusionModelGenerator.Weights t, String p) {
        for (int c = 0; c <= 4; c += 2) {
            t.conv(p + ".conv." + c, 3, TAESD_CHANNELS, TAESD_CHANNELS);
        }
    }

    /**
     * The ControlNet of {@code base}: the UNet's time embedding, input side and middle block, the hint
     * encoder from the control image to the UNet's width at 1/8 resolution, and a 1x1 zero convolution
     * after every input block and the middle block, whose outputs stable-diffusion.cpp adds to the UNet's.
     */
    private static void controlNet(DiffusionModelGenerator.Weights t, DiffusionSpec base) {
        DiffusionModelGenerator.inputSideAndMiddle(t, base, "",
                (block, channels) -> t.conv("zero_convs." + block + ".0", 1, channels, channels));
        int in = RGB;
        for (int i = 0; i < HINT_CHANNELS.length; i++) {
            t.conv("input_hint_block." + 2 * i, 3, in, HINT_CHANNELS[i]);
            in = HINT_CHANNELS[i];
        }
        t.conv("input_hint_block." + 2 * HINT_CHANNELS.length, 3, in, base.modelChannels());
        int middle = base.modelChannels() * 4;
        t.conv("middle_block_out.0", 1, middle, middle);
    }

    /**
     * RRDBNet x4 with one residual-in-residual dense block: the first convolution, the block's three dense
     * blocks of five convolutions, the body convolution, two upsampling convolutions (their presence
     * makes it x4), and the two last convolutions.
     */
    private static void esrgan(DiffusionModelGenerator.Weights t) {
        int f = ESRGAN_FEATURES;
        t.conv("conv_first", 3, RGB, f);
        for (int rdb = 1; rdb <= 3; rdb++) {
            for (int c = 0; c < ESRGAN_DENSE_CONVS; c++) {
                int out = c == ESRGAN_DENSE_CONVS - 1 ? f : ESRGAN_GROWTH;
                t.conv("body.0.rdb" + rdb + ".conv" + (c + 1), 3, f + c * ESRGAN_GROWTH, out);
            }
        }
        for (String conv : new String[] {"conv_body", "conv_up1", "conv_up2", "conv_hr"}) {
            t.conv(conv, 3, f, f);
        }
        t.conv("conv_last", 3, f, RGB);
    }
}
