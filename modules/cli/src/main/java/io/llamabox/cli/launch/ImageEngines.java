package io.llamabox.cli.launch;

import io.llamabox.config.BoxSettings;
import io.llamabox.config.FlashAttentionMode;
import io.llamabox.config.ImageComponents;
import io.llamabox.config.ImageSettings;
import io.llamabox.config.LoraAdapter;
import io.llamabox.config.SkipLayerGuidance;
import io.llamabox.image.engine.DiffusionImageEngine;
import io.llamabox.image.engine.ImageEngineSettings;
import io.llamabox.image.jni.DiffusionLibrary;
import io.llamabox.image.jni.DiffusionModelParams;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code --images}: the {@code -m} model served by the image engine, with the {@code --image-*} settings. */
final class ImageEngines {
    private static final Logger LOG = LoggerFactory.getLogger(ImageEngines.class);

    private ImageEngines() {
    }

    static DiffusionImageEngine load(BoxSettings s) {
        warnUnused(s);
        loadLibrary(Backends.load());
        return DiffusionImageEngine.load(settings(s));
    }

    /**
     * The image library's build for the accelerator backend the text side loaded (where the runtime carries one),
     * else its best CPU build for this processor.
     */
    private static void loadLibrary(Backends.Loaded backends) {
        Set<String> accelerators = backends.probes().stream().filter(Backends.Probe::loaded)
                .map(Backends.Probe::registryName)
                .filter(n -> !n.equalsIgnoreCase("CPU") && !n.equalsIgnoreCase("RPC"))
                .collect(Collectors.toSet());
        DiffusionLibrary.load(accelerators);
        LOG.info("image library {}{}", DiffusionLibrary.variant(),
                DiffusionLibrary.file().map(f -> " (" + f + ")").orElse(""));
    }

    /** The command line as the image engine takes it. */
    static ImageEngineSettings settings(BoxSettings s) {
        ImageSettings img = s.images();
        ImageComponents c = img.components();
        DiffusionModelParams.Builder model = DiffusionModelParams.builder(s.model().path())
                .threads(RuntimeSettings.threads(s.model().threads().threads()))
                .flashAttention(s.model().context().flashAttention() == FlashAttentionMode.ON)
                // the flags say whether a component may be offloaded; the library asks which stay on the CPU
                .textEncoderOffload(!c.textEncoderOffload())
                .vaeOffload(!c.vaeOffload())
                .controlNetOffload(!c.controlNetOffload());
        c.clipL().ifPresent(model::clipL);
        c.clipG().ifPresent(model::clipG);
        c.t5xxl().ifPresent(model::t5xxl);
        c.vae().ifPresent(model::vae);
        c.taesd().ifPresent(model::taesd);
        c.controlNet().ifPresent(model::controlNet);
        List<ImageEngineSettings.LoraFile> loras = s.model().loraAdapters().stream()
                .map(a -> new ImageEngineSettings.LoraFile(a.path(),
                        s.model().loraInitWithoutApply() ? 0f : (float) a.scale()))
                .toList();
        SkipLayerGuidance slg = img.skipLayerGuidance();
        return new ImageEngineSettings(model.build(), loras,
                img.sampleMethod().map(m -> m.label()),
                img.scheduleMethod().label(), img.samplingSteps(), img.cfgScale(), img.guidance(),
                new ImageEngineSettings.SkipLayers(slg.skipLayers(), (float) slg.start(), (float) slg.end(),
                        slg.scale()),
                img.vaeTiling(), img.strength(),
                c.upscaler().map(u -> new ImageEngineSettings.Upscaling(u, img.upscaleRepeats())));
    }

    /** Flags that belong to text models or to image edits: said once, so nobody wonders why they did nothing. */
    private static void warnUnused(BoxSettings s) {
        if (s.model().multimodalProjector().isPresent()) {
            LOG.warn("--mmproj applies to text models; it is ignored with --images");
        }
        if (s.images().freeComputeMemoryImmediately()) {
            LOG.warn("--image-free-compute-memory-immediately: this stable-diffusion.cpp frees compute buffers"
                    + " after each phase of a generation by itself; the flag changes nothing");
        }
        Optional<LoraAdapter> missing = s.model().loraAdapters().stream()
                .filter(a -> !java.nio.file.Files.isReadable(a.path())).findFirst();
        missing.ifPresent(a -> LOG.warn("LoRA adapter {} is not readable", a.path()));
    }
}
