package io.llamabox.backend.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Which libraries a plugin depends on that the dynamic linker would not find on the host. */
public final class LinkCheck {
    /** Libraries that are in the process before any plugin: the C runtime, and ggml loaded with libllamabox. */
    private static final Pattern IN_PROCESS = Pattern.compile(
            "(libc|libm|libdl|libpthread|librt|libgcc_s|libstdc\\+\\+)\\.so\\.\\d+|ld-linux.*|libggml(-base)?\\.so.*");

    private LinkCheck() {
    }

    /**
     * The file names of the plugin's dependencies that are neither in the process already nor found in
     * the plugin's run path or the host's library directories. Empty when the plugin is not an ELF file
     * whose dependencies can be read.
     */
    public static List<String> missing(Host host, PluginDirectories.Plugin plugin) {
        List<String> out = new ArrayList<>();
        ElfDependencies.of(plugin.path()).ifPresent(deps -> {
            String origin = plugin.name().substring(0, plugin.name().lastIndexOf('/'));
            List<String> runPath = deps.runPath().stream()
                    .map(d -> d.replace("${ORIGIN}", origin).replace("$ORIGIN", origin))
                    .filter(d -> d.startsWith("/"))
                    .toList();
            for (String lib : deps.needed()) {
                if (!IN_PROCESS.matcher(lib).matches() && host.findLibrary(lib, runPath).isEmpty()) {
                    out.add(lib);
                }
            }
        });
        return out;
    }
}
