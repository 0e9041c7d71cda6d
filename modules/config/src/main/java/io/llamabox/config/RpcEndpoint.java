package io.llamabox.config;

/** An RPC server to offload to ({@code --rpc HOST:PORT,...}). */
public record RpcEndpoint(String host, int port) {
    public RpcEndpoint {
        Invariants.notBlank("RPC server host", host);
        Invariants.between("RPC server port", port, 1, 65535);
    }

    /** {@code host:port}, the form ggml's RPC backend takes. */
    @Override
    public String toString() {
        return host + ":" + port;
    }
}
