package io.llamabox.testkit.gguf;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link GgufReader} found in a GGUF file: everything but the tensor data.
 *
 * @param version    GGUF version
 * @param metadata   metadata in file order
 * @param tensors    tensor infos in file order
 * @param alignment  alignment in effect ({@code general.alignment} or 32)
 * @param dataOffset absolute file offset of the data section
 */
public record GgufFile(int version, Map<String, GgufValue> metadata, List<GgufTensorInfo> tensors, int alignment,
                       long dataOffset) {

    public GgufFile {
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
        tensors = List.copyOf(tensors);
    }

    /** The metadata value under {@code key}, if present. */
    public Optional<GgufValue> get(String key) {
        return Optional.ofNullable(metadata.get(key));
    }

    /** The metadata value under {@code key}; fails if it is absent. */
    public GgufValue require(String key) {
        GgufValue v = metadata.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no metadata key " + key);
        }
        return v;
    }

    /** The tensor called {@code name}, if present. */
    public Optional<GgufTensorInfo> tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Total number of tensor elements (parameters). */
    public long parameterCount() {
        return tensors.stream().mapToLong(GgufTensorInfo::elementCount).sum();
    }
}
