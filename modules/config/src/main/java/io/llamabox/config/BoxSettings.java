package io.llamabox.config;

/**
 * Every setting of one llama-box process, from its command line and {@code LLAMA_ARG_*} variables.
 *
 * @param log logging
 * @param server the HTTP server
 * @param model the model and how it runs
 * @param sampling the sampling parameters requests start from
 * @param speculative speculative decoding
 * @param visual vision input
 * @param images the image engine
 * @param rpcServer RPC-server mode
 */
public record BoxSettings(LogSettings log, ServerSettings server, ModelSettings model, SamplingDefaults sampling,
        SpeculativeSettings speculative, VisualSettings visual, ImageSettings images, RpcServerSettings rpcServer) {
    public BoxSettings {
        Invariants.present("log settings", log);
        Invariants.present("server settings", server);
        Invariants.present("model settings", model);
        Invariants.present("sampling defaults", sampling);
        Invariants.present("speculative settings", speculative);
        Invariants.present("visual settings", visual);
        Invariants.present("image settings", images);
        Invariants.present("RPC server settings", rpcServer);
    }

    /** The settings of a process started without any option. */
    public static BoxSettings defaults() {
        return new BoxSettings(LogSettings.defaults(), ServerSettings.defaults(), ModelSettings.defaults(),
                SamplingDefaults.defaults(), SpeculativeSettings.defaults(), VisualSettings.defaults(),
                ImageSettings.defaults(), RpcServerSettings.defaults());
    }
}
