package io.llamabox.server.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerResponse;
import io.llamabox.server.ServerConfig;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.ErrorKind;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ImageFetcherTest {
    private static final byte[] IMAGE = new byte[3000];

    static {
        for (int i = 0; i < IMAGE.length; i++) {
            IMAGE[i] = (byte) (i * 31);
        }
    }

    private WebServer host;
    private String base;
    private final CountDownLatch testOver = new CountDownLatch(1);

    @BeforeEach
    void startHost() {
        host = WebServer.builder().host("127.0.0.1").port(0).routing(r -> r
                .get("/image.png", (req, res) -> res.send(IMAGE))
                .get("/chunked.png", (req, res) -> {
                    try (OutputStream out = res.outputStream()) {
                        out.write(IMAGE);
                    }
                })
                .get("/missing.png", (req, res) -> res.status(Status.NOT_FOUND_404).send())
                .get("/hop/{n}", (req, res) -> {
                    int n = Integer.parseInt(req.path().pathParameters().get("n"));
                    redirect(res, n == 0 ? "/image.png" : "/hop/" + (n - 1));
                })
                .get("/to-file", (req, res) -> redirect(res, "file:///etc/passwd"))
                .get("/slow.png", (req, res) -> {
                    res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(IMAGE.length));
                    try (OutputStream out = res.outputStream()) {
                        out.write(IMAGE, 0, 10);
                        out.flush();
                        // the rest only once the test is over: the fetch can end by its time limit alone
                        testOver.await();
                        out.write(IMAGE, 10, IMAGE.length - 10);
                    } catch (Exception e) {
                        // the client gave up
                    }
                })).build().start();
        base = "http://127.0.0.1:" + host.port();
    }

    @AfterEach
    void stopHost() {
        testOver.countDown();
        host.stop();
    }

    private static void redirect(ServerResponse res, String location) {
        res.status(Status.FOUND_302).header(HeaderNames.LOCATION, location).send();
    }

    private static ImageFetcher fetcher(long maxImage, long maxRequest, Duration timeout, int redirects) {
        return new ImageFetcher(true, maxImage, maxRequest, timeout, redirects);
    }

    private static ImageFetcher fetcher() {
        return fetcher(10_000, 100_000, Duration.ofSeconds(5), 3);
    }

    private static byte[] fetch(ImageFetcher f, String url) {
        return f.fetch(url, "messages[0].content[0]", f.budget()).data();
    }

    private static String refusal(ImageFetcher f, String url) {
        ApiException e = assertThrows(ApiException.class, () -> fetch(f, url), url);
        assertEquals(ErrorKind.INVALID_REQUEST, e.kind());
        return e.getMessage();
    }

    @Test
    void dataUrisAreDecoded() {
        String b64 = Base64.getEncoder().encodeToString(IMAGE);
        assertArrayEquals(IMAGE, fetch(fetcher(), "data:image/png;base64," + b64));
        // line breaks as base64(1) writes them, and an unusual but harmless media type
        String wrapped = b64.replaceAll("(.{76})", "$1\n");
        assertArrayEquals(IMAGE, fetch(fetcher(), "DATA:application/octet-stream;BASE64," + wrapped));
        assertEquals("Invalid image", refusal(fetcher(), "data:image/png;base64,@@@not base64@@@"));
        assertEquals("Invalid image", refusal(fetcher(), "data:image/png,rawbytes"));
    }

    @Test
    void httpUrlsAreFetchedFollowingAFewRedirects() {
        assertArrayEquals(IMAGE, fetch(fetcher(), base + "/image.png"));
        assertArrayEquals(IMAGE, fetch(fetcher(), base + "/chunked.png"));
        assertArrayEquals(IMAGE, fetch(fetcher(), base + "/hop/2"));
        assertTrue(refusal(fetcher(), base + "/hop/3").contains("more than 3 redirects"));
        assertTrue(refusal(fetcher(), base + "/to-file").contains("not http(s)"));
        assertTrue(refusal(fetcher(), base + "/missing.png").contains("404"));
    }

    @Test
    void sizeAndTimeAreLimited() {
        assertTrue(refusal(fetcher(2000, 100_000, Duration.ofSeconds(5), 3), base + "/image.png").contains("larger than 2000"));
        assertTrue(refusal(fetcher(2000, 100_000, Duration.ofSeconds(5), 3), base + "/chunked.png").contains("larger than 2000"));
        assertTrue(refusal(fetcher(10_000, 100_000, Duration.ofSeconds(1), 3), base + "/slow.png").contains("no answer within"));
        // the budget of a request covers all of its images
        ImageFetcher f = fetcher(10_000, 5000, Duration.ofSeconds(5), 3);
        ImageFetcher.Budget budget = f.budget();
        f.fetch(base + "/image.png", "a", budget);
        ApiException second = assertThrows(ApiException.class, () -> f.fetch(base + "/image.png", "b", budget));
        assertTrue(second.getMessage().contains("exceed 5000 bytes"), second.getMessage());
    }

    @Test
    void otherSchemesAndSwitchedOffFetchingAreRefused() {
        assertTrue(refusal(fetcher(), "file:///etc/passwd").contains("data: URI or an http(s) URL"));
        assertTrue(refusal(fetcher(), "ftp://example.com/x.png").contains("data: URI or an http(s) URL"));
        assertTrue(refusal(fetcher(), "not a url at all").contains("URL"));
        ImageFetcher off = ImageFetcher.of(ServerConfig.builder().fetchImageUrls(false).build());
        assertTrue(refusal(off, base + "/image.png").contains("--no-visual-url-fetch"));
        // inline images still work
        assertArrayEquals(IMAGE, fetch(off, "data:image/png;base64," + Base64.getEncoder().encodeToString(IMAGE)));
    }
}
