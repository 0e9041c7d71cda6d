package io.llamabox.spi;

import java.util.List;

/**
 * The pieces of a fill-in-the-middle request, already tokenized without special tokens:
 * the text before and after the gap, extra files of the project, and a prompt that starts the middle.
 *
 * @param nPredict the tokens the request will generate (-1: unlimited); the room left for extra files depends on it
 * @param suffixFirst lay out suffix before prefix ({@code --spm-infill}) instead of prefix before suffix
 */
public record InfillParts(int[] prefix, int[] suffix, List<Chunk> extra, int[] prompt, int nPredict,
                          boolean suffixFirst) {
    public InfillParts {
        prefix = prefix.clone();
        suffix = suffix.clone();
        extra = List.copyOf(extra);
        prompt = prompt.clone();
    }

    /** An extra file: its name and its text. */
    public record Chunk(String filename, String text) {
    }
}
