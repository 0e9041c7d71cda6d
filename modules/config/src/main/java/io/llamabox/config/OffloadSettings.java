package io.llamabox.config;

import java.util.List;

/**
 * Where the model's layers go.
 *
 * @param devices devices to offload to ({@code -dev, --device})
 * @param gpuLayers layers stored in device memory, -1 for the library's default ({@code -ngl})
 * @param splitMode how the model is split across devices ({@code -sm})
 * @param mainGpu device for the whole model with split mode none/row, and for the projector ({@code -mg})
 * @param tensorSplit proportion of the model per device, empty for an even split ({@code -ts})
 * @param rpcServers remote RPC servers whose devices join the local ones ({@code --rpc})
 * @param kvOffload whether the KV cache is offloaded too ({@code -nkvo} turns it off)
 * @param tensorOverrides buffer types for the weights their patterns find, first match wins ({@code -ot},
 *        {@code --cpu-moe}, {@code --n-cpu-moe})
 * @param repack whether weights may be repacked into the CPU backend's faster layouts ({@code -nr} turns it off)
 */
public record OffloadSettings(DeviceSelection devices, int gpuLayers, SplitMode splitMode, int mainGpu,
        List<Double> tensorSplit, List<RpcEndpoint> rpcServers, boolean kvOffload, List<TensorOverride> tensorOverrides,
        boolean repack) {
    public OffloadSettings {
        Invariants.present("device selection", devices);
        Invariants.automaticOrAtLeast("GPU layer count", gpuLayers, 0);
        Invariants.present("split mode", splitMode);
        Invariants.atLeast("main GPU", mainGpu, 0);
        tensorSplit = Invariants.elements("tensor split", tensorSplit);
        for (double share : tensorSplit) {
            Invariants.atLeast("tensor split proportion", share, 0.0);
        }
        rpcServers = Invariants.elements("RPC servers", rpcServers);
        tensorOverrides = Invariants.elements("tensor overrides", tensorOverrides);
    }
}
