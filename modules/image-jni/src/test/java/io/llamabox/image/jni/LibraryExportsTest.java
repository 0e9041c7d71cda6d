package io.llamabox.image.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * libllamabox-image shares the JVM with libllamabox, which brings the system libggml: the private ggml
 * inside must not be visible, or the dynamic linker could bind one library's ggml calls to the other's.
 */
class LibraryExportsTest {

    @Test
    void exportsOnlyJniEntryPoints() throws IOException {
        List<String> exported = definedDynamicSymbols(ImageFixtures.library());
        List<String> foreign = exported.stream()
                .filter(s -> !s.startsWith("Java_io_llamabox_image_jni_") && !s.equals("JNI_OnLoad")
                        && !s.equals("JNI_OnUnload"))
                .toList();
        assertEquals(List.of(), foreign, "symbols beyond the JNI entry points are exported");
        assertTrue(exported.contains("JNI_OnLoad"));
        assertTrue(exported.contains("Java_io_llamabox_image_jni_Natives_generate"));
        assertTrue(exported.contains("Java_io_llamabox_image_jni_Natives_upscale"), "the upscaler's entries have C names");
    }

    @Test
    void theSymbolReaderSeesWhatALibraryExports() throws IOException {
        // The system libggml-base exports ggml_*: the check above would notice such names.
        Path systemGgml = Path.of("/usr/lib/x86_64-linux-gnu/libggml-base.so.0");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(systemGgml), "no system libggml-base");
        List<String> exported = definedDynamicSymbols(systemGgml.toRealPath());
        assertTrue(exported.contains("ggml_init"));
        assertFalse(exported.isEmpty());
    }

    /** Names of the defined global and weak symbols of an ELF64 little-endian shared object's .dynsym. */
    static List<String> definedDynamicSymbols(Path elf) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(elf)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x464c457f, b.getInt(0), "not an ELF file: " + elf);
        assertEquals(2, b.get(4), "not a 64-bit ELF file");
        assertEquals(1, b.get(5), "not a little-endian ELF file");
        long shoff = b.getLong(0x28);
        int shentsize = Short.toUnsignedInt(b.getShort(0x3a));
        int shnum = Short.toUnsignedInt(b.getShort(0x3c));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < shnum; i++) {
            int sh = Math.toIntExact(shoff + (long) i * shentsize);
            if (b.getInt(sh + 4) != 11) { // SHT_DYNSYM
                continue;
            }
            int link = b.getInt(sh + 0x28);
            long offset = b.getLong(sh + 0x18);
            long size = b.getLong(sh + 0x20);
            long entsize = b.getLong(sh + 0x38);
            int strtab = Math.toIntExact(shoff + (long) link * shentsize);
            long stroff = b.getLong(strtab + 0x18);
            for (long at = offset + entsize; at < offset + size; at += entsize) { // entry 0 is the null symbol
                int sym = Math.toIntExact(at);
                int nameIndex = b.getInt(sym);
                int info = Byte.toUnsignedInt(b.get(sym + 4));
                int shndx = Short.toUnsignedInt(b.getShort(sym + 6));
                int binding = info >> 4;
                if (shndx == 0 || (binding != 1 && binding != 2 && binding != 10)) { // undefined, or not GLOBAL/WEAK/UNIQUE
                    continue;
                }
                names.add(cString(b, Math.toIntExact(stroff + nameIndex)));
            }
        }
        return names;
    }

    private static String cString(ByteBuffer b, int at) {
        int end = at;
        while (b.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - at];
        b.get(at, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
