package io.llamabox.spi;

/** A LoRA adapter of the text engine: its id (its place on the command line), its file, and its scale now. */
public record LoraAdapterInfo(int id, String path, float scale) {
}
