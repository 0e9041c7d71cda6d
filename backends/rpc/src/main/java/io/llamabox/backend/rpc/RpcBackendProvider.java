package io.llamabox.backend.rpc;

import io.llamabox.backend.probe.Accelerator;
import io.llamabox.backend.probe.AcceleratorProvider;
import io.llamabox.backend.probe.Host;
import java.util.List;
import java.util.Set;

/**
 * ggml's RPC plugin: the client that adds the devices of remote RPC servers ({@code --rpc}) and the
 * server of RPC-server mode. It needs no hardware, so it is in every image.
 */
public final class RpcBackendProvider extends AcceleratorProvider {
    static final Accelerator SPEC = new Accelerator("rpc", "RPC", "ggml RPC", Set.of("linux", "macos"),
            Set.of("x86_64", "aarch64"), "libggml-rpc.so",
            "install ggml's RPC backend (Debian: libggml0-backend-rpc) or build ggml with -DGGML_RPC=ON"
                    + " -DGGML_BACKEND_DL=ON and name its directory with LLAMABOX_GGML_BACKENDS",
            List.of());

    /** The provider for this machine, as {@link java.util.ServiceLoader} creates it. */
    public RpcBackendProvider() {
        this(Host.current());
    }

    RpcBackendProvider(Host host) {
        super(host, SPEC);
    }
}
