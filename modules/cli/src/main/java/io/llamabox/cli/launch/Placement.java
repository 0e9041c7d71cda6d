package io.llamabox.cli.launch;

import io.llamabox.config.DeviceSelection;
import io.llamabox.config.SplitMode;
import io.llamabox.jni.DeviceInfo;
import io.llamabox.jni.DeviceType;
import io.llamabox.spi.BackendProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Where a model's layers go, resolved against the registered devices with llama.cpp's rules: the offload
 * devices are the GPUs (RPC servers first, then local GPUs; integrated GPUs only when there is nothing
 * else) or those {@code -dev} names, in its order; {@code -ts} gives each of them its share in that
 * order (missing shares are 0: with one RPC server and three GPUs, {@code -ts 1,2,3} is
 * {@code 1,2,3,0}); {@code -mg} indexes them; layers that are not offloaded run on the CPU.
 *
 * @param devices indices of the devices to offload to; null lets llama.cpp choose (the same list), empty offloads nothing
 * @param offload the devices the split applies to, in order
 * @param gpuLayers layers to offload; -1 for all
 * @param notes what the user should know (a flag without effect), one line each
 */
record Placement(int[] devices, List<DeviceInfo> offload, int gpuLayers, List<String> notes) {
    Placement {
        offload = List.copyOf(offload);
        notes = List.copyOf(notes);
    }

    /**
     * Resolves the offload flags.
     *
     * @param selection {@code -dev} (or {@code -devd})
     * @param gpuLayers {@code -ngl} (or {@code -ngld}); -1 when not given
     * @param defaultGpuLayers the layers to offload when not given, from the loaded backends
     * @param all every registered device
     * @param explainMissing why a device name is unknown (which module is absent or cannot run)
     * @throws IllegalArgumentException for a device that does not exist, the CPU named as an offload
     *     device, or a main GPU beyond the offload devices
     */
    static Placement resolve(DeviceSelection selection, int gpuLayers, SplitMode mode, int mainGpu, List<Double> split,
            int defaultGpuLayers, List<DeviceInfo> all, Function<String, String> explainMissing) {
        List<String> notes = new ArrayList<>();
        int[] indices;
        List<DeviceInfo> offload;
        switch (selection) {
            case DeviceSelection.All a -> {
                indices = null;
                offload = defaultOffload(all);
            }
            case DeviceSelection.None n -> {
                indices = new int[0];
                offload = List.of();
            }
            case DeviceSelection.Listed l -> {
                offload = new ArrayList<>();
                for (String name : l.names()) {
                    DeviceInfo d = all.stream().filter(x -> x.name().equalsIgnoreCase(name)).findFirst()
                            .orElseThrow(() -> new IllegalArgumentException("no device named " + name + " (there are: "
                                    + all.stream().map(DeviceInfo::name).collect(Collectors.joining(", ")) + "): "
                                    + explainMissing.apply(name)));
                    if (d.type() == DeviceType.CPU) {
                        throw new IllegalArgumentException("-dev " + name + ": the CPU is not an offload device; the"
                                + " layers that are not offloaded run on it, and -dev none keeps the whole model there");
                    }
                    offload.add(d);
                }
                indices = offload.stream().mapToInt(DeviceInfo::index).toArray();
            }
        }
        int layers;
        if (selection instanceof DeviceSelection.None) {
            layers = 0;
        } else if (gpuLayers >= 0) {
            layers = gpuLayers;
            if (gpuLayers > 0 && offload.isEmpty()) {
                notes.add("-ngl " + gpuLayers + " has no effect: there is no device to offload to");
            }
        } else {
            layers = defaultGpuLayers == BackendProvider.ALL_LAYERS ? -1 : defaultGpuLayers;
        }
        if (!split.isEmpty() && offload.isEmpty()) {
            notes.add("-ts has no effect: there is no device to offload to");
        } else if (split.size() > offload.size()) {
            notes.add("-ts has " + split.size() + " shares but there are " + offload.size() + " offload devices ("
                    + names(offload) + "): the extra shares are ignored");
        }
        if (mode != SplitMode.LAYER && !offload.isEmpty() && mainGpu >= offload.size()) {
            throw new IllegalArgumentException("-mg " + mainGpu + " with -sm " + mode.label() + ": the offload devices are "
                    + IntStream.range(0, offload.size()).mapToObj(i -> i + " = " + offload.get(i).name())
                            .collect(Collectors.joining(", ")));
        }
        return new Placement(indices, offload, layers, notes);
    }

    /** llama.cpp's default device list: RPC servers first, then GPUs; integrated GPUs only if nothing else. */
    static List<DeviceInfo> defaultOffload(List<DeviceInfo> all) {
        List<DeviceInfo> rpc = all.stream().filter(d -> d.type() == DeviceType.GPU && isRpc(d)).toList();
        List<DeviceInfo> gpus = all.stream().filter(d -> d.type() == DeviceType.GPU && !isRpc(d)).toList();
        List<DeviceInfo> out = new ArrayList<>(rpc);
        out.addAll(gpus);
        if (out.isEmpty()) {
            out.addAll(all.stream().filter(d -> d.type() == DeviceType.INTEGRATED_GPU).toList());
        }
        return out;
    }

    private static boolean isRpc(DeviceInfo d) {
        return d.backend().toUpperCase(Locale.ROOT).equals("RPC");
    }

    /** The tensor split as llama.cpp takes it, one share per offload device. */
    static float[] shares(List<Double> split) {
        float[] out = new float[split.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = split.get(i).floatValue();
        }
        return out;
    }

    /** One line for the log: where the layers go. */
    String describe() {
        if (offload.isEmpty() || gpuLayers == 0) {
            return "the model runs on the CPU";
        }
        return (gpuLayers < 0 ? "all layers" : gpuLayers + " layer(s)") + " offloaded to " + names(offload);
    }

    private static String names(List<DeviceInfo> devices) {
        return devices.stream().map(DeviceInfo::name).collect(Collectors.joining(", "));
    }
}
