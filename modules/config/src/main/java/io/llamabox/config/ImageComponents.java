package io.llamabox.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Separate component files of an image model (absent: taken from the main model file), and which components
 * may be offloaded to devices.
 *
 * @param clipL CLIP-L text encoder ({@code --image-clip-l-model})
 * @param clipG CLIP-G text encoder ({@code --image-clip-g-model})
 * @param t5xxl T5-XXL text encoder ({@code --image-t5xxl-model})
 * @param vae variational autoencoder ({@code --image-vae-model})
 * @param taesd tiny autoencoder ({@code --image-taesd-model})
 * @param upscaler upscale model ({@code --image-upscale-model})
 * @param controlNet control net ({@code --image-control-net-model})
 * @param textEncoderOffload whether text encoders are offloaded ({@code --image-no-text-encoder-model-offload})
 * @param vaeOffload whether the VAE is offloaded ({@code --image-no-vae-model-offload})
 * @param controlNetOffload whether the control net is offloaded ({@code --image-no-control-net-model-offload})
 */
public record ImageComponents(Optional<Path> clipL, Optional<Path> clipG, Optional<Path> t5xxl, Optional<Path> vae,
        Optional<Path> taesd, Optional<Path> upscaler, Optional<Path> controlNet, boolean textEncoderOffload,
        boolean vaeOffload, boolean controlNetOffload) {
    public ImageComponents {
        Invariants.optional("CLIP-L model", clipL);
        Invariants.optional("CLIP-G model", clipG);
        Invariants.optional("T5-XXL model", t5xxl);
        Invariants.optional("VAE model", vae);
        Invariants.optional("TAESD model", taesd);
        Invariants.optional("upscale model", upscaler);
        Invariants.optional("control net model", controlNet);
    }
}
