package io.llamabox.backend.probe.testing;

import io.llamabox.backend.probe.ElfDependencies;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the smallest 64-bit little-endian ELF shared object that {@link ElfDependencies} reads: a
 * header, a string table, a dynamic section with {@code DT_NEEDED} and {@code DT_RUNPATH} entries, and
 * the section headers that point at them.
 */
public final class ElfFixture {
    private ElfFixture() {
    }

    public static void write(Path file, List<String> needed, List<String> runPath) throws IOException {
        ByteBuffer strings = ByteBuffer.allocate(4096);
        strings.put((byte) 0);
        List<long[]> dynamic = new ArrayList<>();
        for (String lib : needed) {
            dynamic.add(new long[] {1, strings.position()});
            strings.put(lib.getBytes(StandardCharsets.UTF_8)).put((byte) 0);
        }
        if (!runPath.isEmpty()) {
            dynamic.add(new long[] {29, strings.position()});
            strings.put(String.join(":", runPath).getBytes(StandardCharsets.UTF_8)).put((byte) 0);
        }
        dynamic.add(new long[] {0, 0});
        int strOffset = 64;
        int strSize = strings.position();
        int dynOffset = align(strOffset + strSize);
        int dynSize = dynamic.size() * 16;
        int shOffset = align(dynOffset + dynSize);
        ByteBuffer b = ByteBuffer.allocate(shOffset + 3 * 64).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x464c457f).put(4, (byte) 2).put(5, (byte) 1).put(6, (byte) 1);
        b.putShort(0x10, (short) 3).putShort(0x12, (short) 62).putInt(0x14, 1);
        b.putLong(0x28, shOffset).putShort(0x34, (short) 64).putShort(0x3A, (short) 64).putShort(0x3C, (short) 3);
        b.put(strOffset, strings.array(), 0, strSize);
        for (int i = 0; i < dynamic.size(); i++) {
            b.putLong(dynOffset + i * 16, dynamic.get(i)[0]).putLong(dynOffset + i * 16 + 8, dynamic.get(i)[1]);
        }
        // section 0 is the null section; 1 the string table (SHT_STRTAB); 2 the dynamic section linked to 1
        int s1 = shOffset + 64;
        b.putInt(s1 + 4, 3).putLong(s1 + 0x18, strOffset).putLong(s1 + 0x20, strSize);
        int s2 = shOffset + 128;
        b.putInt(s2 + 4, 6).putLong(s2 + 0x18, dynOffset).putLong(s2 + 0x20, dynSize).putInt(s2 + 0x28, 1)
                .putLong(s2 + 0x38, 16);
        Files.write(file, b.array());
    }

    private static int align(int n) {
        return (n + 7) & ~7;
    }
}
