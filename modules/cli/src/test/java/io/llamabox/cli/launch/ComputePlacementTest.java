package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.llamabox.jni.Llama;
import io.llamabox.testkit.model.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** -C/-Cr and --prio place the compute threads; flags the installed backend cannot honour are named. */
class ComputePlacementTest {

    @Test
    void theComputeThreadsRunOnTheMaskedCpusAtThePriorityAsked() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "raising a priority needs root");
        try (RunningBox box = new RunningBox("-m", TestModels.llama().toString(), "-c", "512", "-t", "2",
                "-C", "1", "--prio", "1")) {
            assertEquals(200, box.post("/completion", "{\"prompt\":\"hello\",\"n_predict\":8}").statusCode());
            // the scheduler thread and the OpenMP threads it started carry its (truncated) name
            List<Path> compute = tasksNamed("llama-box-sched");
            assertFalse(compute.isEmpty(), "no compute thread found");
            for (Path task : compute) {
                assertEquals("0", status(task, "Cpus_allowed_list:"), task.toString());
                assertEquals(-5, nice(task), task.toString());
            }
            // other threads keep theirs: this one, which loaded the model, for one
            assertEquals(0, nice(Path.of("/proc/thread-self")));
            assertFalse(status(Path.of("/proc/thread-self"), "Cpus_allowed_list:").equals("0"));
        } finally {
            Llama.setComputeThreadPlacement(new BitSet(), 0);
        }
    }

    @Test
    void flagsTheBackendCannotHonourAreNamedAtStartup() {
        assertEquals(List.of(), ComputePlacement.withoutEffect(settings("-m", "m.gguf").model()));
        List<String> said = ComputePlacement.withoutEffect(settings("-m", "m.gguf", "--cpu-strict", "1",
                "--poll", "10", "--prio-batch", "2", "-dt", "0.5").model());
        assertEquals(4, said.size(), said.toString());
        assertTrue(said.get(0).startsWith("--cpu-strict"), said.toString());
        assertTrue(said.get(1).startsWith("--poll"), said.toString());
        assertTrue(said.get(2).startsWith("-Cb/-Crb/--prio-batch"), said.toString());
        assertTrue(said.get(3).startsWith("--defrag-thold"), said.toString());
        assertEquals(List.of(), ComputePlacement.withoutEffect(settings("-m", "m.gguf", "-C", "3",
                "--prio", "2").model()), "the batch placement follows the generation placement");
    }

    private static io.llamabox.config.BoxSettings settings(String... args) {
        return Main.settings(args);
    }

    private static List<Path> tasksNamed(String name) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    if (Files.readString(t.resolve("comm")).strip().equals(name)) {
                        out.add(t);
                    }
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }

    private static String status(Path task, String key) throws IOException {
        for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith(key)) {
                return line.substring(key.length()).strip();
            }
        }
        throw new AssertionError(key + " not in " + task);
    }

    /** Field 19 of /proc/.../stat, counted after the command name in parentheses. */
    private static int nice(Path task) throws IOException {
        String stat = Files.readString(task.resolve("stat"));
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(rest[16]);
    }
}
