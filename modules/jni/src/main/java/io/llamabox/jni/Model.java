package io.llamabox.jni;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A loaded llama.cpp model: weights, metadata and vocabulary. Close it after its contexts. */
public final class Model extends NativeHandle {
    private final Path path;
    private final Map<String, String> metadata;
    private static final int ROPE_TYPE_MROPE = 8;
    private static final int ROPE_TYPE_IMROPE = 40;
    private final ModelInfo info;
    private final StateLayout stateLayout;
    private final Vocab vocab;

    private Model(Path path, long pointer) {
        super("model", pointer);
        this.path = path;
        byte[][] kv = Natives.modelMetadata(pointer);
        Map<String, String> meta = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            meta.put(Text.string(kv[i]), Text.string(kv[i + 1]));
        }
        this.metadata = Collections.unmodifiableMap(meta);
        int[] n = Natives.modelInts(pointer);
        this.info = new ModelInfo(meta.getOrDefault("general.architecture", ""),
                Text.string(Natives.modelDescription(pointer)), Natives.modelSize(pointer),
                Natives.modelParamCount(pointer), n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7] != 0, n[8] != 0,
                n[12] != 0, n[11]);
        this.vocab = new Vocab(this, n[5]);
        this.stateLayout = new StateLayout(n[5], positionsPerEmbedding(n[10]), n[12] != 0 || n[14] != 0);
    }

    /** M-RoPE models keep more than one position per token (llama.cpp's n_pos_per_embd). */
    private static int positionsPerEmbedding(int ropeType) {
        return ropeType == ROPE_TYPE_MROPE || ropeType == ROPE_TYPE_IMROPE ? 4 : 1;
    }

    /** What a sequence state file of this model must hold. */
    StateLayout stateLayout() {
        return stateLayout;
    }

    /**
     * Loads a GGUF model. The file is checked first (present, readable, GGUF magic); a failure inside
     * llama.cpp becomes a {@link LlamaException} naming the file and llama.cpp's reason.
     */
    public static Model load(Path path, ModelParams params, LoadProgress progress) {
        NativeLibrary.load();
        checkGguf(path);
        List<KvOverride> ov = params.kvOverrides();
        byte[][] keys = new byte[ov.size()][];
        int[] types = new int[ov.size()];
        long[] ints = new long[ov.size()];
        double[] floats = new double[ov.size()];
        byte[][] strings = new byte[ov.size()][];
        for (int i = 0; i < ov.size(); i++) {
            KvOverride o = ov.get(i);
            keys[i] = Text.utf8(o.key());
            types[i] = o.kind().ordinal();
            ints[i] = o.kind() == KvOverride.Kind.BOOL ? (o.boolValue() ? 1 : 0) : o.intValue();
            floats[i] = o.floatValue();
            strings[i] = o.stringValue() == null ? null : Text.utf8(o.stringValue());
        }
        int maxDevices = Natives.maxDevices();
        if (params.tensorSplit().length > maxDevices) {
            throw new IllegalArgumentException("tensor split has " + params.tensorSplit().length
                    + " values but at most " + maxDevices + " devices are supported");
        }
        int deviceCount = Natives.deviceCount();
        int[] devices = params.devices();
        for (int d : devices == null ? new int[0] : devices) {
            if (d < 0 || d >= deviceCount) {
                throw new IllegalArgumentException("no device " + d + " (there are " + deviceCount + ")");
            }
        }
        if (devices != null && devices.length > maxDevices) {
            throw new IllegalArgumentException("at most " + maxDevices + " devices can be used");
        }
        LoadProgress listener = progress == null ? LoadProgress.NONE : progress;
        boolean[] cancelled = new boolean[1];
        LoadProgress guarded = fraction -> {
            boolean go = listener.onProgress(fraction);
            if (!go) {
                cancelled[0] = true;
            }
            return go;
        };
        NativeLog.startCapture();
        long pointer;
        String why;
        try {
            pointer = Natives.modelLoad(Text.utf8(path), params.nGpuLayers(), params.splitMode().ordinal(),
                    params.mainGpu(), params.tensorSplit(), params.devices(), params.useMmap(), params.useMlock(),
                    params.checkTensors(), params.vocabOnly(), keys, types, ints, floats, strings,
                    params.tensorOverrides().stream().map(o -> Text.utf8(o.pattern())).toArray(byte[][]::new),
                    params.tensorOverrides().stream().map(o -> Text.utf8(o.bufferType())).toArray(byte[][]::new),
                    params.repack(), guarded);
        } finally {
            why = NativeLog.stopCapture();
        }
        if (cancelled[0]) {
            if (pointer != 0) {
                Natives.modelFree(pointer);
            }
            throw new LoadCancelledException("loading " + path + " was cancelled");
        }
        if (pointer == 0) {
            throw new LlamaException("failed to load model " + path + (why.isEmpty() ? "" : ": " + why));
        }
        return new Model(path, pointer);
    }

    private static void checkGguf(Path path) {
        if (!Files.exists(path)) {
            throw new LlamaException("model file not found: " + path);
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new LlamaException("model file is not a readable file: " + path);
        }
        byte[] magic = new byte[4];
        try (InputStream in = Files.newInputStream(path)) {
            int n = in.readNBytes(magic, 0, 4);
            if (n < 4 || magic[0] != 'G' || magic[1] != 'G' || magic[2] != 'U' || magic[3] != 'F') {
                throw new LlamaException("not a GGUF file (bad magic): " + path);
            }
        } catch (IOException e) {
            throw new LlamaException("cannot read model file " + path + ": " + e.getMessage());
        }
    }

    public Path path() {
        return path;
    }

    /** Every GGUF metadata key with its value as llama.cpp renders it (arrays abbreviated). */
    public Map<String, String> metadata() {
        pointer();
        return metadata;
    }

    public ModelInfo info() {
        pointer();
        return info;
    }

    public Vocab vocab() {
        pointer();
        return vocab;
    }

    /** The model's chat template ({@code tokenizer.chat_template}, or a named one), or null. */
    public String chatTemplate(String name) {
        return Text.string(Natives.modelChatTemplate(pointer(), Text.utf8(name)));
    }

    @Override
    void free(long pointer) {
        Natives.modelFree(pointer);
    }
}
