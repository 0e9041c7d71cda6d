package io.llamabox.backend.probe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shared libraries a 64-bit ELF file names as dependencies ({@code DT_NEEDED}) and its own search
 * path ({@code DT_RUNPATH}, {@code DT_RPATH}), read from its dynamic section, so that a probe can say
 * which library a plugin needs before the dynamic linker fails on it.
 *
 * @param needed the libraries, in the file's order
 * @param runPath the directories of its run path, {@code $ORIGIN} left as written
 */
public record ElfDependencies(List<String> needed, List<String> runPath) {
    private static final int SHT_DYNAMIC = 6;
    private static final long DT_NULL = 0;
    private static final long DT_NEEDED = 1;
    private static final long DT_RPATH = 15;
    private static final long DT_RUNPATH = 29;

    public ElfDependencies {
        needed = List.copyOf(needed);
        runPath = List.copyOf(runPath);
    }

    /** The dependencies of {@code file}, or empty if it is not a 64-bit ELF file with a dynamic section. */
    public static Optional<ElfDependencies> of(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer ident = read(ch, 0, 64, ByteOrder.LITTLE_ENDIAN);
            if (ident == null || ident.getInt(0) != 0x464c457f || ident.get(4) != 2) {
                return Optional.empty();
            }
            ByteOrder order = ident.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            ByteBuffer h = ident.order(order);
            long shoff = h.getLong(0x28);
            int shentsize = Short.toUnsignedInt(h.getShort(0x3A));
            int shnum = Short.toUnsignedInt(h.getShort(0x3C));
            if (shoff <= 0 || shentsize < 64 || shnum == 0 || shnum > 65535) {
                return Optional.empty();
            }
            ByteBuffer sections = read(ch, shoff, (long) shentsize * shnum, order);
            if (sections == null) {
                return Optional.empty();
            }
            for (int i = 0; i < shnum; i++) {
                int base = i * shentsize;
                if (sections.getInt(base + 4) != SHT_DYNAMIC) {
                    continue;
                }
                long dynOffset = sections.getLong(base + 0x18);
                long dynSize = sections.getLong(base + 0x20);
                int link = sections.getInt(base + 0x28);
                if (link < 0 || link >= shnum) {
                    return Optional.empty();
                }
                int strBase = link * shentsize;
                ByteBuffer strings = read(ch, sections.getLong(strBase + 0x18), sections.getLong(strBase + 0x20), order);
                ByteBuffer dynamic = read(ch, dynOffset, dynSize, order);
                if (strings == null || dynamic == null) {
                    return Optional.empty();
                }
                return Optional.of(parse(dynamic, strings));
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static ElfDependencies parse(ByteBuffer dynamic, ByteBuffer strings) {
        List<String> needed = new ArrayList<>();
        List<String> runPath = new ArrayList<>();
        List<String> rpath = new ArrayList<>();
        for (int at = 0; at + 16 <= dynamic.limit(); at += 16) {
            long tag = dynamic.getLong(at);
            long value = dynamic.getLong(at + 8);
            if (tag == DT_NULL) {
                break;
            }
            if (tag == DT_NEEDED) {
                needed.add(string(strings, value));
            } else if (tag == DT_RUNPATH) {
                runPath.addAll(List.of(string(strings, value).split(":")));
            } else if (tag == DT_RPATH) {
                rpath.addAll(List.of(string(strings, value).split(":")));
            }
        }
        // the linker ignores DT_RPATH when DT_RUNPATH is present
        return new ElfDependencies(needed, runPath.isEmpty() ? rpath : runPath);
    }

    private static String string(ByteBuffer strings, long offset) {
        if (offset < 0 || offset >= strings.limit()) {
            return "";
        }
        int start = (int) offset;
        int end = start;
        while (end < strings.limit() && strings.get(end) != 0) {
            end++;
        }
        byte[] b = new byte[end - start];
        strings.get(start, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static ByteBuffer read(FileChannel ch, long offset, long size, ByteOrder order) throws IOException {
        if (offset < 0 || size <= 0 || size > (64 << 20) || offset + size > ch.size()) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate((int) size);
        while (b.hasRemaining()) {
            if (ch.read(b, offset + b.position()) < 0) {
                return null;
            }
        }
        return b.flip().order(order);
    }
}
