package io.llamabox.server.vision;

import io.llamabox.server.ServerConfig;
import io.llamabox.server.http.ApiException;
import io.llamabox.spi.PromptImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets the bytes of an {@code image_url}: a base64 {@code data:} URI is decoded; an {@code http(s)} URL
 * is fetched, unless the server was started with {@code --no-visual-url-fetch}, within a time limit
 * (headers and body together), a size limit per image and per request, and a limit on redirects (each
 * of them http or https again). Whether the bytes are an image is for the engine to decide.
 */
public final class ImageFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(ImageFetcher.class);

    /** How long one image URL may take, redirects and body included. */
    public static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** Redirects followed for one image URL. */
    public static final int MAX_REDIRECTS = 5;
    /** The largest image fetched from a URL. */
    public static final long MAX_IMAGE_BYTES = 32L << 20;

    private final boolean fetchUrls;
    private final long maxImageBytes;
    private final long maxRequestBytes;
    private final Duration timeout;
    private final int maxRedirects;

    public ImageFetcher(boolean fetchUrls, long maxImageBytes, long maxRequestBytes, Duration timeout, int maxRedirects) {
        if (maxImageBytes < 1 || maxRequestBytes < 1 || timeout.isNegative() || timeout.isZero() || maxRedirects < 0) {
            throw new IllegalArgumentException("image fetch limits must be positive");
        }
        this.fetchUrls = fetchUrls;
        this.maxImageBytes = maxImageBytes;
        this.maxRequestBytes = maxRequestBytes;
        this.timeout = timeout;
        this.maxRedirects = maxRedirects;
    }

    /** The fetcher of a server: its URL switch, and no request fetching more than its body limit. */
    public static ImageFetcher of(ServerConfig config) {
        return new ImageFetcher(config.fetchImageUrls(), Math.min(MAX_IMAGE_BYTES, config.maxRequestBytes()),
                config.maxRequestBytes(), TIMEOUT, MAX_REDIRECTS);
    }

    /** What one request may still fetch. */
    static final class Budget {
        private long left;

        private Budget(long left) {
            this.left = left;
        }
    }

    Budget budget() {
        return new Budget(maxRequestBytes);
    }

    PromptImage fetch(String url, String where, Budget budget) {
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            return new PromptImage(dataUri(url, where), "data URI at " + where);
        }
        URI uri = httpUri(url, where);
        if (!fetchUrls) {
            throw ApiException.invalid("\"" + where + "\": this server does not fetch image URLs"
                    + " (--no-visual-url-fetch); send the image inline as a base64 data: URI");
        }
        byte[] data = download(uri, where, budget);
        return new PromptImage(data, uri.toString());
    }

    /** {@code data:[<media type>][;base64],<data>}; only base64 makes sense for images. */
    private static byte[] dataUri(String url, String where) {
        int comma = url.indexOf(',');
        if (comma < 0 || !url.substring(5, comma).toLowerCase(Locale.ROOT).endsWith(";base64")) {
            LOG.info("{}: a data URI without ;base64", where);
            throw ApiException.invalid("Invalid image");
        }
        String payload = url.substring(comma + 1).replaceAll("[\\s]", "");
        try {
            return Base64.getDecoder().decode(payload);
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getUrlDecoder().decode(payload);
            } catch (IllegalArgumentException again) {
                LOG.info("{}: the data URI is not base64: {}", where, e.getMessage());
                throw ApiException.invalid("Invalid image");
            }
        }
    }

    private static URI httpUri(String url, String where) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.invalid("\"" + where + ".url\" is not a valid URL: " + e.getReason());
        }
        if (!isHttp(uri) || uri.getHost() == null) {
            throw ApiException.invalid("\"" + where + ".url\" must be a data: URI or an http(s) URL");
        }
        return uri;
    }

    private static boolean isHttp(URI uri) {
        String scheme = uri.getScheme();
        return scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"));
    }

    private byte[] download(URI first, String where, Budget budget) {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI uri = first;
        for (int redirects = 0; ; redirects++) {
            long limit = Math.min(maxImageBytes, budget.left);
            HttpResponse<byte[]> response = send(uri, limit, deadline, first, where);
            int status = response.statusCode();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                if (redirects >= maxRedirects) {
                    throw cannotFetch(first, where, "more than " + maxRedirects + " redirects");
                }
                String location = response.headers().firstValue("location")
                        .orElseThrow(() -> cannotFetch(first, where, "a redirect without a location"));
                try {
                    uri = uri.resolve(new URI(location));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw cannotFetch(first, where, "a redirect to an invalid URL");
                }
                if (!isHttp(uri)) {
                    throw cannotFetch(first, where, "a redirect to a URL that is not http(s)");
                }
                continue;
            }
            if (status != 200) {
                throw cannotFetch(first, where, "the server answered " + status);
            }
            byte[] body = response.body();
            budget.left -= body.length;
            return body;
        }
    }

    private HttpResponse<byte[]> send(URI uri, long limit, long deadline, URI first, String where) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw cannotFetch(first, where, "no answer within " + timeout.toSeconds() + " s");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofNanos(left)).header("Accept", "image/*")
                .GET().build();
        CompletableFuture<HttpResponse<byte[]>> future = Client.HTTP.sendAsync(request,
                info -> info.statusCode() == 200 ? new LimitedBody(limit) : HttpResponse.BodySubscribers.replacing(new byte[0]));
        try {
            return future.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw cannotFetch(first, where, "no answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw cannotFetch(first, where, "interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TooLarge) {
                throw cannotFetch(first, where, limit < maxImageBytes
                        ? "the images of this request exceed " + maxRequestBytes + " bytes"
                        : "the image is larger than " + limit + " bytes");
            }
            if (cause instanceof HttpTimeoutException) {
                throw cannotFetch(first, where, "no answer within " + timeout.toSeconds() + " s");
            }
            String reason = cause instanceof IOException && cause.getMessage() != null ? cause.getMessage() : String.valueOf(cause);
            throw cannotFetch(first, where, reason);
        }
    }

    private static ApiException cannotFetch(URI uri, String where, String reason) {
        LOG.info("image {} at {} not fetched: {}", uri, where, reason);
        return ApiException.invalid("\"" + where + "\": cannot fetch the image " + uri + ": " + reason);
    }

    /** Thrown into a body that outgrows its limit. */
    private static final class TooLarge extends IOException {
        TooLarge() {
            super("too large", null);
        }
    }

    /** Collects a body up to a size, cancelling the download when it grows past it. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final long limit;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        LimitedBody(long limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                if (out.size() + (long) b.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge());
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                out.writeBytes(chunk);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }
    }

    /** One client for every fetch, made on first use; it follows no redirect by itself. */
    private static final class Client {
        static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(TIMEOUT).build();
    }
}
