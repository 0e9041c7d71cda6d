package io.llamabox.engine;

/**
 * Paces one request to a number of tokens per second: capacity {@code rate}, refilled at
 * {@code rate} per second. The scheduler skips a slot whose bucket is empty.
 */
final class TokenBucket {
    private final double rate;
    private double tokens;
    private long lastNanos;

    TokenBucket(double rate, long nowNanos) {
        this.rate = rate;
        this.tokens = 1;
        this.lastNanos = nowNanos;
    }

    boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Nanoseconds until a token is available. */
    long nanosUntilToken(long nowNanos) {
        refill(nowNanos);
        return tokens >= 1 ? 0 : (long) ((1 - tokens) / rate * 1e9);
    }

    private void refill(long nowNanos) {
        tokens = Math.min(rate, tokens + (nowNanos - lastNanos) / 1e9 * rate);
        lastNanos = nowNanos;
    }
}
