package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.config.BoxSettings;
import io.llamabox.jni.ModelParams;
import io.llamabox.jni.SplitMode;
import org.junit.jupiter.api.Test;

/** The offload flags as the bridge receives them, on this machine's registered devices (the CPU). */
class OffloadFlagsTest {
    private static BoxSettings settings(String... flags) {
        String[] args = new String[flags.length + 2];
        args[0] = "-m";
        args[1] = "m.gguf";
        System.arraycopy(flags, 0, args, 2, flags.length);
        return Main.settings(args);
    }

    @Test
    void theModelOffloadsWhatTheFlagsSay() {
        ModelParams defaults = RuntimeSettings.model(settings().model());
        assertNull(defaults.devices(), "llama.cpp's own device list");
        assertEquals(0, defaults.nGpuLayers(), "only the CPU is registered here, whose backend offloads nothing");
        ModelParams none = RuntimeSettings.model(settings("-dev", "none", "-ngl", "8").model());
        assertArrayEquals(new int[0], none.devices());
        assertEquals(0, none.nGpuLayers());
        ModelParams split = RuntimeSettings.model(settings("-sm", "row", "-ts", "3,1", "-ngl", "12").model());
        assertEquals(SplitMode.ROW, split.splitMode());
        assertArrayEquals(new float[] {3, 1}, split.tensorSplit());
        assertEquals(12, split.nGpuLayers());
    }

    @Test
    void theDraftModelTakesItsOwnDevicesAndLayers() {
        ModelParams draft = RuntimeSettings.draftModel(settings("-devd", "none", "-ngld", "4", "-ngl", "9"));
        assertArrayEquals(new int[0], draft.devices());
        assertEquals(0, draft.nGpuLayers());
        assertEquals(4, RuntimeSettings.draftModel(settings("-ngld", "4", "-ngl", "9")).nGpuLayers());
        assertEquals(9, RuntimeSettings.model(settings("-ngld", "4", "-ngl", "9").model()).nGpuLayers());
    }

    @Test
    void noKvOffloadReachesTheContext() {
        assertTrue(RuntimeSettings.context(settings().model(), false).offloadKqv());
        assertFalse(RuntimeSettings.context(settings("-nkvo").model(), false).offloadKqv());
    }
}
