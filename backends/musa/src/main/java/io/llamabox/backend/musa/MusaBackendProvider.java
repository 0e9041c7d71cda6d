package io.llamabox.backend.musa;

import io.llamabox.backend.probe.Accelerator;
import io.llamabox.backend.probe.AcceleratorProvider;
import io.llamabox.backend.probe.Host;
import io.llamabox.backend.probe.Requirement;
import java.util.List;
import java.util.Set;

/** Moore Threads GPUs through ggml's MUSA plugin: needs the MUSA driver library and a GPU device node. */
public final class MusaBackendProvider extends AcceleratorProvider {
    static final Accelerator SPEC = new Accelerator("musa", "MUSA", "Moore Threads MUSA", Set.of("linux"),
            Set.of("x86_64"), "libggml-musa.so",
            "no distribution packages it: build ggml with the MUSA SDK rc3.1, -DGGML_MUSA=ON -DGGML_BACKEND_DL=ON,"
                    + " and name its directory with LLAMABOX_GGML_BACKENDS",
            List.of(new Requirement.Library("MUSA driver library", List.of("libmusa.so.4", "libmusa.so.1", "libmusa.so"),
                            "install the Moore Threads driver and put /usr/local/musa/lib on the library path"),
                    new Requirement.Files("Moore Threads GPU device node", List.of("/dev/mtgpu.[0-9]*", "/dev/dri/renderD*"),
                            "no MTT S80/S4000 is visible (a container needs its device nodes)")));

    /** The provider for this machine, as {@link java.util.ServiceLoader} creates it. */
    public MusaBackendProvider() {
        this(Host.current());
    }

    MusaBackendProvider(Host host) {
        super(host, SPEC);
    }
}
