package io.llamabox.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Speculative decoding, with a draft model or n-gram lookup.
 *
 * @param draftMax tokens drafted per step ({@code --draft-max, --draft, --draft-n})
 * @param draftMin minimum draft tokens to use ({@code --draft-min, --draft-n-min})
 * @param draftPMin minimum greedy probability of a drafted token ({@code --draft-p-min})
 * @param draftModel the draft model ({@code -md, --model-draft})
 * @param draftDevices devices for the draft model ({@code -devd, --device-draft})
 * @param draftGpuLayers draft-model layers in device memory, -1 for the library's default ({@code -ngld})
 * @param lookupNgramMin minimum n-gram size for lookup decoding, 0 off ({@code --lookup-ngram-min})
 * @param lookupCacheStatic static lookup cache, not updated ({@code -lcs})
 * @param lookupCacheDynamic dynamic lookup cache, updated by generation ({@code -lcd})
 * @param draftTensorOverrides the draft model's tensor buffer-type overrides ({@code -otd}, {@code -cmoed},
 *        {@code -ncmoed})
 */
public record SpeculativeSettings(int draftMax, int draftMin, double draftPMin, Optional<Path> draftModel,
        DeviceSelection draftDevices, int draftGpuLayers, int lookupNgramMin, Optional<Path> lookupCacheStatic,
        Optional<Path> lookupCacheDynamic, List<TensorOverride> draftTensorOverrides) {
    /** The largest n-gram that llama.cpp's lookup cache holds (LLAMA_NGRAM_MAX). */
    public static final int MAX_LOOKUP_NGRAM = 4;

    public SpeculativeSettings {
        Invariants.atLeast("draft max", draftMax, 0);
        Invariants.atLeast("draft min", draftMin, 0);
        Invariants.between("draft p-min", draftPMin, 0.0, 1.0);
        Invariants.optional("draft model", draftModel);
        Invariants.present("draft devices", draftDevices);
        Invariants.automaticOrAtLeast("draft GPU layer count", draftGpuLayers, 0);
        Invariants.between("lookup n-gram minimum", lookupNgramMin, 0, MAX_LOOKUP_NGRAM);
        Invariants.optional("static lookup cache", lookupCacheStatic);
        Invariants.optional("dynamic lookup cache", lookupCacheDynamic);
        draftTensorOverrides = Invariants.elements("draft tensor overrides", draftTensorOverrides);
    }

    /** The settings that apply when nothing is given. */
    public static SpeculativeSettings defaults() {
        return builder().build();
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects speculative decoding settings; starts from the spec's defaults. */
    public static final class Builder {
        private int draftMax = 16;
        private int draftMin = 5;
        private double draftPMin = 0.9;
        private Path draftModel;
        private DeviceSelection draftDevices = DeviceSelection.all();
        private int draftGpuLayers = -1;
        private int lookupNgramMin;
        private Path lookupCacheStatic;
        private Path lookupCacheDynamic;
        private final List<TensorOverride> draftTensorOverrides = new ArrayList<>();

        private Builder() {
        }

        public Builder draftMax(int value) {
            draftMax = value;
            return this;
        }

        public Builder draftMin(int value) {
            draftMin = value;
            return this;
        }

        public Builder draftPMin(double value) {
            draftPMin = value;
            return this;
        }

        public Builder draftModel(Path value) {
            draftModel = Objects.requireNonNull(value, "draft model");
            return this;
        }

        public Builder draftDevices(DeviceSelection value) {
            draftDevices = value;
            return this;
        }

        public Builder draftGpuLayers(int value) {
            draftGpuLayers = value;
            return this;
        }

        public Builder lookupNgramMin(int value) {
            lookupNgramMin = value;
            return this;
        }

        public Builder lookupCacheStatic(Path value) {
            lookupCacheStatic = Objects.requireNonNull(value, "static lookup cache");
            return this;
        }

        public Builder lookupCacheDynamic(Path value) {
            lookupCacheDynamic = Objects.requireNonNull(value, "dynamic lookup cache");
            return this;
        }

        /** Adds overrides after those already given: llama.cpp applies the first whose pattern matches. */
        public Builder addDraftTensorOverrides(List<TensorOverride> values) {
            draftTensorOverrides.addAll(values);
            return this;
        }

        /** The settings; fails with {@link IllegalArgumentException} naming the first invalid one. */
        public SpeculativeSettings build() {
            return new SpeculativeSettings(draftMax, draftMin, draftPMin, Optional.ofNullable(draftModel),
                    draftDevices, draftGpuLayers, lookupNgramMin, Optional.ofNullable(lookupCacheStatic),
                    Optional.ofNullable(lookupCacheDynamic), draftTensorOverrides);
        }
    }
}
