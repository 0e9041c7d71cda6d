package io.llamabox.cli.launch;

import io.llamabox.config.BoxSettings;
import io.llamabox.config.ModelSettings;
import io.llamabox.config.NumaStrategy;
import io.llamabox.config.ThreadPriority;
import io.llamabox.config.ThreadSettings;
import io.llamabox.jni.Llama;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the compute threads run: {@code -C}/{@code -Cr} bind them to CPUs and {@code --prio} sets their
 * priority, applied to each thread that computes graphs before it starts the CPU backend's OpenMP team,
 * which inherits both; {@code --numa} is llama.cpp's NUMA set-up. What the installed backend cannot do
 * (its OpenMP threads place and wait by themselves) is said once at startup, never silently ignored.
 */
final class ComputePlacement {
    private static final Logger LOG = LoggerFactory.getLogger(ComputePlacement.class);
    private static boolean numaDone;

    private ComputePlacement() {
    }

    /** llama.cpp's nice values for {@code --prio} 0..3. */
    static int nice(ThreadPriority p) {
        return switch (p) {
            case NORMAL -> 0;
            case MEDIUM -> -5;
            case HIGH -> -10;
            case REALTIME -> -20;
        };
    }

    /** ggml's number for a NUMA strategy (0 = off). */
    static int ggmlNuma(NumaStrategy s) {
        return switch (s) {
            case DISABLED -> 0;
            case DISTRIBUTE -> 1;
            case ISOLATE -> 2;
            case NUMACTL -> 3;
        };
    }

    /** Sets the placement of the compute threads that start from now on; NUMA once per process. */
    static void apply(BoxSettings s) {
        ModelSettings m = s.model();
        ThreadSettings t = m.threads();
        Llama.setComputeThreadPlacement(t.cpus(), nice(t.priority()));
        if (!t.cpus().isEmpty()) {
            LOG.info("compute threads bound to CPUs {}", t.cpus());
        }
        if (t.priority() != ThreadPriority.NORMAL) {
            LOG.info("compute threads at priority {} (nice {})", t.priority().level(), nice(t.priority()));
        }
        NumaStrategy numa = m.loading().numa();
        synchronized (ComputePlacement.class) {
            if (numa != NumaStrategy.DISABLED && !numaDone) {
                Llama.numaInit(ggmlNuma(numa));
                numaDone = true;
                LOG.info("NUMA strategy {}", numa);
            }
        }
        for (String w : withoutEffect(m)) {
            LOG.warn(w);
        }
    }

    /** The thread and cache flags given that cannot take effect with the installed llama.cpp and ggml. */
    static List<String> withoutEffect(ModelSettings m) {
        List<String> out = new ArrayList<>();
        ThreadSettings t = m.threads();
        ThreadSettings b = m.batchThreads();
        if (t.strict() || b.strict()) {
            out.add("--cpu-strict has no effect: the CPU backend's OpenMP threads place themselves within the"
                    + " CPUs allowed (-C/-Cr)");
        }
        if (t.poll() != ThreadSettings.DEFAULT_POLL || b.poll() != ThreadSettings.DEFAULT_POLL) {
            out.add("--poll has no effect: the CPU backend's OpenMP threads wait as GOMP_SPINCOUNT and"
                    + " OMP_WAIT_POLICY say");
        }
        if (!b.cpus().equals(t.cpus()) || b.priority() != t.priority()) {
            out.add("-Cb/-Crb/--prio-batch have no effect of their own: one set of compute threads serves"
                    + " prompts and generation, placed by -C/-Cr/--prio");
        }
        if (m.context().defragThreshold() != 0.1) {
            out.add("--defrag-thold has no effect: llama.cpp 0.7 no longer defragments its KV cache");
        }
        return out;
    }
}
