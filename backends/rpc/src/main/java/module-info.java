/** The rpc backend: remote devices of ggml RPC servers. */
module io.llamabox.backend.rpc {
    requires io.llamabox.backend.probe;

    provides io.llamabox.spi.BackendProvider with io.llamabox.backend.rpc.RpcBackendProvider;
}
