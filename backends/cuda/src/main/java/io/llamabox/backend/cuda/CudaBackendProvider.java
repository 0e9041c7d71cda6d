package io.llamabox.backend.cuda;

import io.llamabox.backend.probe.Accelerator;
import io.llamabox.backend.probe.AcceleratorProvider;
import io.llamabox.backend.probe.ElfDependencies;
import io.llamabox.backend.probe.Host;
import io.llamabox.backend.probe.PluginDirectories;
import io.llamabox.backend.probe.Requirement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NVIDIA GPUs through ggml's CUDA plugin: needs the NVIDIA driver (new enough for the CUDA runtime the
 * plugin was built with), a visible GPU, and the CUDA runtime libraries the plugin links against.
 */
public final class CudaBackendProvider extends AcceleratorProvider {
    static final Accelerator CUDA = new Accelerator("cuda", "CUDA", "NVIDIA CUDA", Set.of("linux"),
            Set.of("x86_64", "aarch64"), "libggml-cuda.so",
            "install ggml's CUDA backend (Debian: libggml0-backend-cuda, in contrib) or build ggml with"
                    + " -DGGML_CUDA=ON -DGGML_BACKEND_DL=ON and name its directory with LLAMABOX_GGML_BACKENDS",
            List.of(new Requirement.Library("NVIDIA driver library", List.of("libcuda.so.1"),
                            "install the NVIDIA driver (>= 525.60.13 for CUDA 12, >= 450.80.02 for CUDA 11.8)"),
                    new Requirement.Files("NVIDIA GPU device node", List.of("/dev/nvidia[0-9]*", "/dev/dxg"),
                            "no NVIDIA GPU is visible (check nvidia-smi; a container needs --gpus all)")));

    /** The oldest Linux driver for each CUDA runtime major version, from NVIDIA's CUDA release notes. */
    static final Map<Integer, String> MINIMUM_DRIVER = Map.of(11, "450.80.02", 12, "525.60.13", 13, "580.65.06");

    private static final Pattern DRIVER = Pattern.compile("Kernel Module\\s+(?:for\\s+\\S+\\s+)?(\\d+(?:\\.\\d+)+)");
    private static final Pattern CUDART = Pattern.compile("libcudart\\.so\\.(\\d+)");

    /** The provider for this machine, as {@link java.util.ServiceLoader} creates it. */
    public CudaBackendProvider() {
        this(Host.current());
    }

    CudaBackendProvider(Host host) {
        super(host, CUDA);
    }

    @Override
    protected List<String> extraProblems() {
        Optional<String> driver = host().read("/proc/driver/nvidia/version").flatMap(CudaBackendProvider::driverVersion);
        Optional<Integer> runtime = PluginDirectories.find(host(), CUDA.plugin())
                .flatMap(p -> ElfDependencies.of(p.path()))
                .flatMap(CudaBackendProvider::runtimeMajor);
        if (driver.isEmpty() || runtime.isEmpty() || !MINIMUM_DRIVER.containsKey(runtime.get())) {
            return List.of();
        }
        String minimum = MINIMUM_DRIVER.get(runtime.get());
        if (compare(driver.get(), minimum) >= 0) {
            return List.of();
        }
        return List.of("the NVIDIA driver " + driver.get() + " is older than " + minimum + ", the oldest that runs CUDA "
                + runtime.get() + " (which " + CUDA.plugin() + " is built with): update the driver");
    }

    static Optional<String> driverVersion(String procVersion) {
        Matcher m = DRIVER.matcher(procVersion);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static Optional<Integer> runtimeMajor(ElfDependencies deps) {
        for (String lib : deps.needed()) {
            Matcher m = CUDART.matcher(lib);
            if (m.matches()) {
                return Optional.of(Integer.parseInt(m.group(1)));
            }
        }
        return Optional.empty();
    }

    /** Compares dotted version numbers part by part. */
    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
