package io.llamabox.spi.image;

/**
 * Image totals since start ({@code llamabox:image_*}).
 *
 * @param processSeconds time requests spent from queueing to their last image
 * @param generateSeconds time spent generating
 * @param generateSteps sampling steps taken
 */
public record ImageMetrics(double processSeconds, double generateSeconds, long generateSteps) {
    /** Sampling steps per second of generation time. */
    public double stepsPerSecond() {
        return generateSeconds > 0 ? generateSteps / generateSeconds : 0;
    }
}
