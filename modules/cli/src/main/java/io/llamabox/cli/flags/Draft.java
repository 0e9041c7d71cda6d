package io.llamabox.cli.flags;

import io.llamabox.config.BoxSettings;
import io.llamabox.config.DrySampling;
import io.llamabox.config.ImageSettings;
import io.llamabox.config.LogSettings;
import io.llamabox.config.ModelSettings;
import io.llamabox.config.RpcServerSettings;
import io.llamabox.config.SamplingDefaults;
import io.llamabox.config.ServerSettings;
import io.llamabox.config.SkipLayerGuidance;
import io.llamabox.config.SpeculativeSettings;
import io.llamabox.config.ThreadSettings;
import io.llamabox.config.VisualSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The settings being collected from variables and flags, in the order they are applied. */
public final class Draft {
    final ServerSettings.Builder server = ServerSettings.builder();
    final ModelSettings.Builder model = ModelSettings.builder();
    final SamplingDefaults.Builder sampling = SamplingDefaults.builder();
    final SpeculativeSettings.Builder speculative = SpeculativeSettings.builder();
    final ImageSettings.Builder images = ImageSettings.builder();
    final ThreadDraft threads = new ThreadDraft();
    final ThreadDraft batchThreads = new ThreadDraft();

    int verbosity = LogSettings.DEFAULT_VERBOSITY;
    boolean logColors;
    int visualMaxImageSize = VisualSettings.defaults().maxImageSize();
    int visualMaxProjectedCache;
    boolean visualFetchUrls = VisualSettings.defaults().fetchUrls();
    String rpcServerHost = RpcServerSettings.DEFAULT_HOST;
    int rpcServerPort;
    int rpcServerMainGpu;
    long rpcServerReserveMiB;
    int rpcServerThreads = -1;
    boolean rpcServerCache;
    Path rpcServerCacheDir;
    Integer rpcServerOriginMainGpu;
    boolean systemInfo;
    boolean listDevices;
    boolean listBufferTypes;

    // repeatable flags whose first occurrence replaces the defaults
    private List<String> drySequenceBreakers;
    private boolean escape = true;
    private List<Integer> slgSkipLayers;
    private boolean grammarGiven;
    private boolean jsonSchemaGiven;
    private Double slgStart;
    private Double slgEnd;

    /** Whether {@code --system-info} was given. */
    public boolean systemInfo() {
        return systemInfo;
    }

    /** Whether {@code --list-devices} was given. */
    public boolean listDevices() {
        return listDevices;
    }

    /** Whether {@code --list-buffer-types} was given. */
    public boolean listBufferTypes() {
        return listBufferTypes;
    }

    /** -e/--no-escape: whether the escapes in --dry-sequence-breaker values are processed (as llama.cpp does). */
    void escape(boolean on) {
        escape = on;
        model.escape(on);
    }

    void addDrySequenceBreaker(String breaker) {
        if (drySequenceBreakers == null) {
            drySequenceBreakers = new ArrayList<>();
        }
        if (breaker.equals("none")) {
            drySequenceBreakers.clear();
        } else {
            drySequenceBreakers.add(breaker);
        }
    }

    void addSlgSkipLayer(int layer) {
        if (slgSkipLayers == null) {
            slgSkipLayers = new ArrayList<>();
        }
        slgSkipLayers.add(layer);
    }

    void grammar(String text) {
        sampling.grammar(text);
        grammarGiven = !text.isEmpty();
    }

    void jsonSchema(String text) {
        sampling.jsonSchema(text);
        jsonSchemaGiven = !text.isEmpty();
    }

    void slgStart(double value) {
        slgStart = value;
        images.slgStart(value);
    }

    void slgEnd(double value) {
        slgEnd = value;
        images.slgEnd(value);
    }

    /**
     * The settings; a conflict between flags fails with a message that names them, and any other invalid
     * combination with the record's own message.
     */
    public BoxSettings build() throws InvalidValueException {
        if (grammarGiven && jsonSchemaGiven) {
            throw new InvalidValueException("--grammar/--grammar-file and --json-schema cannot be used together");
        }
        ImageSettings imageDefaults = ImageSettings.defaults();
        double start = slgStart != null ? slgStart : imageDefaults.skipLayerGuidance().start();
        double end = slgEnd != null ? slgEnd : imageDefaults.skipLayerGuidance().end();
        if (end < start) {
            throw new InvalidValueException("--image-slg-end (" + end + ") must not be below --image-slg-start ("
                    + start + ")");
        }
        if (drySequenceBreakers != null) {
            sampling.drySequenceBreakers(escape ? drySequenceBreakers.stream().map(Parse::unescape).toList()
                    : drySequenceBreakers);
        }
        images.slgSkipLayers(slgSkipLayers != null ? slgSkipLayers : SkipLayerGuidance.DEFAULT_SKIP_LAYERS);
        ThreadSettings generation = threads.resolve(ThreadSettings.defaults());
        model.threads(generation).batchThreads(batchThreads.resolve(generation));
        try {
            return new BoxSettings(new LogSettings(verbosity, logColors), server.build(), model.build(),
                    sampling.build(), speculative.build(), new VisualSettings(visualMaxImageSize, visualFetchUrls, visualMaxProjectedCache), images.build(),
                    new RpcServerSettings(rpcServerHost, rpcServerPort, rpcServerMainGpu, rpcServerReserveMiB,
                            rpcServerThreads, rpcServerCache, Optional.ofNullable(rpcServerCacheDir),
                            rpcServerOriginMainGpu == null ? OptionalInt.empty() : OptionalInt.of(rpcServerOriginMainGpu)));
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException("invalid settings: " + e.getMessage());
        }
    }
}
