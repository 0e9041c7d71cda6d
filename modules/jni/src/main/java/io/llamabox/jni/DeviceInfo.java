package io.llamabox.jni;

/** One ggml device as registered by a loaded backend, with its memory at the time of the query. */
public record DeviceInfo(int index, String name, String description, String backend, DeviceType type,
                         long memoryFree, long memoryTotal) {
}
