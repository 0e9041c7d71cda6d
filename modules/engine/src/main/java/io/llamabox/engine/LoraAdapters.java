package io.llamabox.engine;

import io.llamabox.jni.Context;
import io.llamabox.jni.LoraAdapter;
import io.llamabox.jni.Model;
import io.llamabox.spi.EngineException;
import io.llamabox.spi.LoraAdapterInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The text engine's LoRA adapters and their scales. Every slot runs with one scale per adapter (its
 * request's, or the engine's scales when it was admitted); one decode applies one set of scales, so
 * slots whose scales differ take turns. Adapters at scale 0 are left out of the context altogether.
 * The scales of new requests change from any thread; the context is touched only by the scheduler.
 */
final class LoraAdapters implements AutoCloseable {
    private static final float[] NONE = new float[0];

    private record Loaded(List<LoraAdapter> adapters, float[] scales) {
    }

    private volatile Loaded loaded = new Loaded(List.of(), NONE);
    /** What the context has now (scheduler thread only). */
    private float[] applied = NONE;
    /** Which of several waiting sets of scales goes next (scheduler thread only). */
    private int turn;

    /** Loads adapters for the model; they run at {@code scales} unless a request or a later call says otherwise. */
    synchronized void load(Model model, List<Path> paths, float[] scales) {
        if (paths.size() != scales.length) {
            throw new IllegalArgumentException("one scale per adapter");
        }
        List<LoraAdapter> all = new ArrayList<>(loaded.adapters());
        try {
            for (Path p : paths) {
                all.add(LoraAdapter.load(model, p));
            }
        } catch (RuntimeException e) {
            for (int i = loaded.adapters().size(); i < all.size(); i++) {
                all.get(i).close();
            }
            throw e;
        }
        float[] s = Arrays.copyOf(loaded.scales(), all.size());
        System.arraycopy(scales, 0, s, loaded.scales().length, scales.length);
        loaded = new Loaded(List.copyOf(all), s);
    }

    List<LoraAdapterInfo> describe() {
        Loaded l = loaded;
        List<LoraAdapterInfo> out = new ArrayList<>(l.adapters().size());
        for (int i = 0; i < l.adapters().size(); i++) {
            out.add(new LoraAdapterInfo(i, l.adapters().get(i).path().toString(), l.scales()[i]));
        }
        return out;
    }

    synchronized void setScales(Map<Integer, Float> scales) {
        Loaded l = loaded;
        loaded = new Loaded(l.adapters(), resolve(l, scales));
    }

    /** The scales a request runs with: its own (others off), or the engine's when it names none. */
    float[] forRequest(Map<Integer, Float> asked) {
        Loaded l = loaded;
        return asked == null ? l.scales().clone() : resolve(l, asked);
    }

    private static float[] resolve(Loaded l, Map<Integer, Float> asked) {
        int n = l.adapters().size();
        if (n == 0 && !asked.isEmpty()) {
            throw invalid("no LoRA adapters are loaded (start the server with --lora or --lora-scaled)");
        }
        float[] out = new float[n];
        for (Map.Entry<Integer, Float> e : asked.entrySet()) {
            int id = e.getKey();
            if (id < 0 || id >= n) {
                throw invalid("LoRA adapter id " + id + " does not exist; the ids are 0 to " + (n - 1));
            }
            if (e.getValue() == null || !Float.isFinite(e.getValue())) {
                throw invalid("the scale of LoRA adapter " + id + " must be a finite number");
            }
            out[id] = e.getValue();
        }
        return out;
    }

    /**
     * The scales of the next decode, from the distinct scales of the slots that have work: the one set
     * when they agree, otherwise each set in turn. Null when there is nothing to choose between.
     */
    float[] choose(List<float[]> candidates) {
        if (candidates.isEmpty()) {
            return null;
        }
        if (candidates.size() == 1) {
            return candidates.getFirst();
        }
        return candidates.get(Math.floorMod(turn++, candidates.size()));
    }

    /** Puts these scales on the context unless it has them already. */
    void apply(Context ctx, float[] scales) {
        if (Arrays.equals(applied, scales)) {
            return;
        }
        List<LoraAdapter> adapters = loaded.adapters();
        List<LoraAdapter> on = new ArrayList<>();
        float[] onScales = new float[scales.length];
        for (int i = 0; i < scales.length; i++) {
            if (scales[i] != 0) {
                onScales[on.size()] = scales[i];
                on.add(adapters.get(i));
            }
        }
        ctx.setLoraAdapters(on, Arrays.copyOf(onScales, on.size()));
        applied = scales.clone();
    }

    private static EngineException invalid(String message) {
        return new EngineException(EngineException.Kind.INVALID_REQUEST, message);
    }

    /** Frees the adapters; the context that used them is already gone. */
    @Override
    public synchronized void close() {
        for (LoraAdapter a : loaded.adapters()) {
            a.close();
        }
        loaded = new Loaded(List.of(), NONE);
    }
}
