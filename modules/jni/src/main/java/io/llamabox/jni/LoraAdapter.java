package io.llamabox.jni;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A LoRA adapter loaded for one model; apply it with {@link Context#setLoraAdapters}. */
public final class LoraAdapter extends NativeHandle {
    private final Model model;
    private final Path path;

    private LoraAdapter(Model model, Path path, long pointer) {
        super("LoRA adapter", pointer);
        this.model = model;
        this.path = path;
    }

    public static LoraAdapter load(Model model, Path path) {
        if (!Files.isRegularFile(path)) {
            throw new LlamaException("LoRA adapter not found: " + path);
        }
        NativeLog.startCapture();
        long ptr;
        String why;
        try {
            ptr = Natives.loraLoad(model.pointer(), Text.utf8(path));
        } finally {
            why = NativeLog.stopCapture();
        }
        if (ptr == 0) {
            throw new LlamaException("failed to load LoRA adapter " + path + (why.isEmpty() ? "" : ": " + why));
        }
        return new LoraAdapter(model, path, ptr);
    }

    public Model model() {
        return model;
    }

    public Path path() {
        return path;
    }

    public Map<String, String> metadata() {
        byte[][] kv = Natives.loraMetadata(pointer());
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            out.put(Text.string(kv[i]), Text.string(kv[i + 1]));
        }
        return out;
    }

    @Override
    void free(long pointer) {
        Natives.loraFree(pointer);
    }
}
