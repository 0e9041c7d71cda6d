package io.llamabox.spi.image;

/**
 * What a generation took, as the spec's {@code usage} reports it.
 *
 * @param timeToProcessMillis from the request's arrival in the queue to its last image
 * @param timePerGenerationMillis generation time per image
 * @param generationsPerSecond images per second of generation time
 */
public record ImageUsage(double timeToProcessMillis, double timePerGenerationMillis, double generationsPerSecond) {
}
