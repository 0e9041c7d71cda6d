package io.llamabox.engine;

import io.llamabox.jni.Context;
import io.llamabox.jni.Model;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Control vectors ({@code --control-vector}, {@code --control-vector-scaled}, {@code --control-vector-layer-range}):
 * each file's {@code direction.<layer>} vectors times its scale, summed per layer over the files, added to the
 * hidden state after layers {@code firstLayer} to {@code lastLayer} as llama.cpp's common loader does. A layer
 * of 0 means the default: from layer 1, to the model's last layer. A layer no file names gets nothing.
 *
 * @param files the vector files and their scales, in command-line order
 */
public record ControlVectors(List<Source> files, int firstLayer, int lastLayer) {
    private static final Logger LOG = LoggerFactory.getLogger(ControlVectors.class);
    private static final ControlVectors NONE = new ControlVectors(List.of(), 0, 0);

    /** One control-vector file and the scale its vectors are multiplied by. */
    public record Source(Path path, float scale) {
        public Source {
            Objects.requireNonNull(path, "control vector path");
            if (!Float.isFinite(scale)) {
                throw new IllegalArgumentException("control vector scale must be finite");
            }
        }
    }

    public ControlVectors {
        files = List.copyOf(files);
        if (firstLayer < 0 || lastLayer < 0) {
            throw new IllegalArgumentException("control vector layers must not be negative");
        }
    }

    /** No control vectors. */
    public static ControlVectors none() {
        return NONE;
    }

    public boolean isEmpty() {
        return files.isEmpty();
    }

    /**
     * The summed vectors: {@code nEmbd} floats for each of layers 1 to {@code nLayer} (layer 1 first), zero
     * where no file has a vector. Vectors for layers past {@code nLayer} are checked but not read.
     *
     * @throws ControlVectorException naming the first file that cannot be read or does not fit the model
     */
    public float[] load(int nEmbd, int nLayer) {
        if (nEmbd < 1 || nLayer < 1) {
            throw new IllegalArgumentException("n_embd and n_layer must be positive");
        }
        float[] sum = null;
        for (Source f : files) {
            float[] one = ControlVectorFile.read(f.path(), f.scale(), nEmbd, nLayer);
            if (sum == null) {
                sum = one;
            } else {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += one[i];
                }
            }
        }
        return sum == null ? new float[nEmbd * nLayer] : sum;
    }

    /** Loads the files for {@code model} and puts the result on {@code context}; nothing when there are none. */
    public void applyTo(Context context, Model model) {
        if (isEmpty()) {
            return;
        }
        int nLayer = model.info().nLayer();
        float[] data = load(model.info().nEmbd(), nLayer);
        int first = firstLayer == 0 ? 1 : firstLayer;
        int last = lastLayer == 0 ? nLayer : lastLayer;
        if (last < first) {
            LOG.warn("control vectors: the layer range {} to {} of this {}-layer model is empty; they are not applied",
                    first, last, nLayer);
            return;
        }
        context.setControlVector(data, first, last);
        LOG.info("control vectors applied to layers {} to {}: {}", first, last,
                files.stream().map(f -> f.path() + " at scale " + f.scale()).toList());
    }
}
