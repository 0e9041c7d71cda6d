package io.llamabox.server.http;

import io.llamabox.server.LoadedModel;
import java.util.Optional;

/**
 * The {@code X-Request-Tokens-Per-Second} policy. With the limit off ({@code -tps 0}) the header is
 * ignored. With it on, a request without the header is unpaced; a header value that is not a positive
 * number asks for the maximum; one above the maximum is refused with 410. The maximum is {@code -tps N},
 * or with {@code -tps -1} the speed measured at start (when that is unknown, values are taken as given).
 */
public final class TokenRate {
    public static final String HEADER = "X-Request-Tokens-Per-Second";

    private final int limit;

    public TokenRate(int limit) {
        this.limit = limit;
    }

    /** The rate for {@link io.llamabox.spi.GenerationRequest#tokensPerSecond()}: 0 means unpaced. */
    public double resolve(Optional<String> header, LoadedModel model) {
        if (limit == 0 || header.isEmpty()) {
            return 0;
        }
        double max = limit > 0 ? limit : model.measuredTokensPerSecond();
        double asked;
        try {
            asked = Double.parseDouble(header.get().trim());
        } catch (NumberFormatException e) {
            asked = Double.NaN;
        }
        if (Double.isNaN(asked) || asked <= 0) {
            return Math.max(max, 0);
        }
        if (max > 0 && asked > max) {
            throw new ApiException(ErrorKind.RATE_REFUSED, HEADER + " " + header.get().trim()
                    + " exceeds this server's maximum of " + fmt(max) + " tokens per second");
        }
        return asked;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.2f", v);
    }
}
