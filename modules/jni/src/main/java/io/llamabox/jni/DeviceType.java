package io.llamabox.jni;

/** ggml's device kinds, in the order of {@code enum ggml_backend_dev_type}. */
public enum DeviceType {
    CPU, GPU, INTEGRATED_GPU, ACCELERATOR, META;

    static DeviceType of(long code) {
        DeviceType[] all = values();
        return code >= 0 && code < all.length ? all[(int) code] : ACCELERATOR;
    }
}
