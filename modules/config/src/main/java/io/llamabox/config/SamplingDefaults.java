package io.llamabox.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The sampling parameters that requests start from.
 *
 * @param seed RNG seed, {@link #RANDOM_SEED} for a random one ({@code -s, --seed})
 * @param temperature temperature ({@code --temp})
 * @param dynamicTemperature dynamic temperature
 * @param topK top-k, 0 off ({@code --top-k})
 * @param topP top-p, 1 off ({@code --top-p})
 * @param minP min-p, 0 off ({@code --min-p})
 * @param typicalP locally typical p, 1 off ({@code --typical})
 * @param xtc XTC sampling
 * @param penalties repetition penalties
 * @param dry DRY sampling
 * @param mirostat Mirostat sampling
 * @param logitBias logit biases in command-line order ({@code -l, --logit-bias})
 * @param grammar GBNF grammar ({@code --grammar}, or the content of {@code --grammar-file})
 * @param jsonSchema JSON schema that constrains output ({@code -j, --json-schema}); excludes a grammar
 * @param samplers the sampler chain in order ({@code --samplers}, {@code --sampling-seq})
 * @param topNSigma top-n-sigma: keeps the tokens within n standard deviations of the top logit; 0 or below off
 *        ({@code --top-nsigma})
 */
public record SamplingDefaults(long seed, double temperature, DynamicTemperature dynamicTemperature, int topK,
        double topP, double minP, double typicalP, XtcSampling xtc, RepetitionPenalties penalties, DrySampling dry,
        Mirostat mirostat, List<LogitBias> logitBias, Optional<String> grammar, Optional<String> jsonSchema,
        List<SamplerType> samplers, double topNSigma) {
    /** The top-n-sigma value that leaves the sampler out. */
    public static final double TOP_N_SIGMA_OFF = -1.0;

    /** The seed value that asks for a random seed. */
    public static final long RANDOM_SEED = -1;
    /** The largest seed: seeds are unsigned 32-bit numbers. */
    public static final long MAX_SEED = 0xFFFF_FFFFL;

    public SamplingDefaults {
        Invariants.between("seed", seed, RANDOM_SEED, MAX_SEED);
        Invariants.finite("temperature", temperature);
        Invariants.present("dynamic temperature", dynamicTemperature);
        Invariants.atLeast("top-k", topK, 0);
        Invariants.between("top-p", topP, 0.0, 1.0);
        Invariants.between("min-p", minP, 0.0, 1.0);
        Invariants.between("typical-p", typicalP, 0.0, 1.0);
        Invariants.present("XTC", xtc);
        Invariants.present("repetition penalties", penalties);
        Invariants.present("DRY", dry);
        Invariants.present("Mirostat", mirostat);
        logitBias = Invariants.elements("logit biases", logitBias);
        Invariants.optional("grammar", grammar);
        Invariants.optional("JSON schema", jsonSchema);
        if (grammar.isPresent() && jsonSchema.isPresent()) {
            throw new IllegalArgumentException("a grammar and a JSON schema cannot both constrain generation");
        }
        samplers = Invariants.elements("samplers", samplers);
        Invariants.finite("top-n-sigma", topNSigma);
    }

    /** The settings that apply when nothing is given. */
    public static SamplingDefaults defaults() {
        return builder().build();
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects sampling defaults; starts from the spec's defaults. */
    public static final class Builder {
        private long seed = RANDOM_SEED;
        private double temperature = 0.8;
        private double dynamicTemperatureRange;
        private double dynamicTemperatureExponent = 1.0;
        private int topK = 40;
        private double topP = 0.9;
        private double minP = 0.1;
        private double topNSigma = TOP_N_SIGMA_OFF;
        private double typicalP = 1.0;
        private double xtcProbability;
        private double xtcThreshold = 0.1;
        private int repeatLastN = 64;
        private double repeatPenalty = 1.0;
        private double presencePenalty;
        private double frequencyPenalty;
        private double dryMultiplier;
        private double dryBase = 1.75;
        private int dryAllowedLength = 2;
        private int dryPenaltyLastN = -1;
        private List<String> drySequenceBreakers = DrySampling.DEFAULT_SEQUENCE_BREAKERS;
        private MirostatMode mirostat = MirostatMode.DISABLED;
        private double mirostatLearningRate = 0.1;
        private double mirostatTargetEntropy = 5.0;
        private final List<LogitBias> logitBias = new ArrayList<>();
        private String grammar;
        private String jsonSchema;
        private List<SamplerType> samplers = SamplerType.DEFAULT_CHAIN;

        private Builder() {
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder temperature(double value) {
            temperature = value;
            return this;
        }

        public Builder dynamicTemperatureRange(double value) {
            dynamicTemperatureRange = value;
            return this;
        }

        public Builder dynamicTemperatureExponent(double value) {
            dynamicTemperatureExponent = value;
            return this;
        }

        public Builder topK(int value) {
            topK = value;
            return this;
        }

        public Builder topP(double value) {
            topP = value;
            return this;
        }

        public Builder topNSigma(double value) {
            topNSigma = value;
            return this;
        }

        public Builder minP(double value) {
            minP = value;
            return this;
        }

        public Builder typicalP(double value) {
            typicalP = value;
            return this;
        }

        public Builder xtcProbability(double value) {
            xtcProbability = value;
            return this;
        }

        public Builder xtcThreshold(double value) {
            xtcThreshold = value;
            return this;
        }

        public Builder repeatLastN(int value) {
            repeatLastN = value;
            return this;
        }

        public Builder repeatPenalty(double value) {
            repeatPenalty = value;
            return this;
        }

        public Builder presencePenalty(double value) {
            presencePenalty = value;
            return this;
        }

        public Builder frequencyPenalty(double value) {
            frequencyPenalty = value;
            return this;
        }

        public Builder dryMultiplier(double value) {
            dryMultiplier = value;
            return this;
        }

        public Builder dryBase(double value) {
            dryBase = value;
            return this;
        }

        public Builder dryAllowedLength(int value) {
            dryAllowedLength = value;
            return this;
        }

        public Builder dryPenaltyLastN(int value) {
            dryPenaltyLastN = value;
            return this;
        }

        public Builder drySequenceBreakers(List<String> value) {
            drySequenceBreakers = value;
            return this;
        }

        public Builder mirostat(MirostatMode value) {
            mirostat = value;
            return this;
        }

        public Builder mirostatLearningRate(double value) {
            mirostatLearningRate = value;
            return this;
        }

        public Builder mirostatTargetEntropy(double value) {
            mirostatTargetEntropy = value;
            return this;
        }

        public Builder addLogitBias(LogitBias value) {
            logitBias.add(Objects.requireNonNull(value, "logit bias"));
            return this;
        }

        /** A GBNF grammar; the empty text means none. */
        public Builder grammar(String value) {
            grammar = Objects.requireNonNull(value, "grammar").isEmpty() ? null : value;
            return this;
        }

        /** A JSON schema; the empty text means none. */
        public Builder jsonSchema(String value) {
            jsonSchema = Objects.requireNonNull(value, "JSON schema").isEmpty() ? null : value;
            return this;
        }

        public Builder samplers(List<SamplerType> value) {
            samplers = value;
            return this;
        }

        /** The settings; fails with {@link IllegalArgumentException} naming the first invalid one. */
        public SamplingDefaults build() {
            return new SamplingDefaults(seed, temperature,
                    new DynamicTemperature(dynamicTemperatureRange, dynamicTemperatureExponent), topK, topP, minP,
                    typicalP, new XtcSampling(xtcProbability, xtcThreshold),
                    new RepetitionPenalties(repeatLastN, repeatPenalty, presencePenalty, frequencyPenalty),
                    new DrySampling(dryMultiplier, dryBase, dryAllowedLength, dryPenaltyLastN, drySequenceBreakers),
                    new Mirostat(mirostat, mirostatLearningRate, mirostatTargetEntropy), logitBias,
                    Optional.ofNullable(grammar), Optional.ofNullable(jsonSchema), samplers, topNSigma);
        }
    }
}
