package io.llamabox.jni;

import java.util.List;

/**
 * How a model is loaded. {@code devices} are indices into {@link Llama#devices()} of the devices to
 * offload to, in order: null lets llama.cpp choose (every GPU, RPC servers first), an empty array
 * offloads nothing. {@code tensorSplit} gives each of those devices its share (empty: by free memory).
 * {@code nGpuLayers} below zero offloads all layers. {@code tensorOverrides} place the weights their patterns
 * find (the first match wins); {@code repack} lets the CPU backend store weights in its faster layouts
 * ({@code use_extra_bufts}).
 */
public record ModelParams(int nGpuLayers, SplitMode splitMode, int mainGpu, float[] tensorSplit, int[] devices,
                          boolean useMmap, boolean useMlock, boolean checkTensors, boolean vocabOnly,
                          List<KvOverride> kvOverrides, List<TensorBufferOverride> tensorOverrides, boolean repack) {
    public ModelParams(int nGpuLayers, SplitMode splitMode, int mainGpu, float[] tensorSplit, int[] devices,
                       boolean useMmap, boolean useMlock, boolean checkTensors, boolean vocabOnly,
                       List<KvOverride> kvOverrides) {
        this(nGpuLayers, splitMode, mainGpu, tensorSplit, devices, useMmap, useMlock, checkTensors, vocabOnly,
                kvOverrides, List.of(), true);
    }

    public ModelParams {
        tensorOverrides = tensorOverrides == null ? List.of() : List.copyOf(tensorOverrides);
        tensorSplit = tensorSplit == null ? new float[0] : tensorSplit.clone();
        devices = devices == null ? null : devices.clone();
        kvOverrides = kvOverrides == null ? List.of() : List.copyOf(kvOverrides);
        if (splitMode == null) {
            splitMode = SplitMode.LAYER;
        }
        for (float f : tensorSplit) {
            if (!(f >= 0) || Float.isInfinite(f)) {
                throw new IllegalArgumentException("tensor split values must be finite and not negative");
            }
        }
    }

    /** CPU-only defaults: no offload, mmap on. */
    public static ModelParams defaults() {
        return new ModelParams(0, SplitMode.LAYER, 0, null, null, true, false, false, false, List.of());
    }

    public ModelParams withVocabOnly(boolean vocabOnly) {
        return new ModelParams(nGpuLayers, splitMode, mainGpu, tensorSplit, devices, useMmap, useMlock,
                checkTensors, vocabOnly, kvOverrides, tensorOverrides, repack);
    }

    public ModelParams withGpuLayers(int layers) {
        return new ModelParams(layers, splitMode, mainGpu, tensorSplit, devices, useMmap, useMlock,
                checkTensors, vocabOnly, kvOverrides, tensorOverrides, repack);
    }

    public ModelParams withDevices(int[] deviceIndices, float[] split, SplitMode mode, int main) {
        return new ModelParams(nGpuLayers, mode, main, split, deviceIndices, useMmap, useMlock, checkTensors,
                vocabOnly, kvOverrides, tensorOverrides, repack);
    }

    public ModelParams withKvOverrides(List<KvOverride> overrides) {
        return new ModelParams(nGpuLayers, splitMode, mainGpu, tensorSplit, devices, useMmap, useMlock,
                checkTensors, vocabOnly, overrides, tensorOverrides, repack);
    }

    public ModelParams withMemory(boolean mmap, boolean mlock) {
        return new ModelParams(nGpuLayers, splitMode, mainGpu, tensorSplit, devices, mmap, mlock, checkTensors,
                vocabOnly, kvOverrides, tensorOverrides, repack);
    }
}
