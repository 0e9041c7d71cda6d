package io.llamabox.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.llamabox.server.ServerConfig;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs around every request: gives it an id ({@code X-Request-ID}, generated when absent) that goes
 * into the logging MDC and the response, sets the common headers ({@code Server},
 * {@code X-Request-Accepted-At}, CORS), answers CORS preflights, turns any failure into OpenAI's error
 * shape, and writes one access-log line when the request is done ({@code /health} excepted). While the
 * server drains it answers every new request 503. It counts the requests open, for the drain to wait on.
 * <p>
 * A response that says {@code Connection: close} (the client asked, or the server is set to close every
 * connection) ends its connection once it is complete: Helidon 4.3 sends the header and then keeps
 * reading the connection after a request with a body, so a client that reads to the end of the
 * stream waited for the idle timeout.
 */
public final class RequestFilter implements Filter {
    public static final String REQUEST_ID = "X-Request-ID";
    public static final String ACCEPTED_AT = "X-Request-Accepted-At";
    /** The MDC key of the request id; the engine uses the same key on its thread. */
    public static final String MDC_REQUEST_ID = "request_id";

    private static final Logger LOG = LoggerFactory.getLogger(RequestFilter.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("io.llamabox.server.access");

    private final String serverHeader;
    private final boolean closeConnections;
    private final Draining draining;

    public RequestFilter(ServerConfig config, Draining draining) {
        this.serverHeader = "llama-box/" + config.version();
        this.closeConnections = config.connectionKeepAlive().isZero();
        this.draining = draining;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        draining.requestStarted();
        try {
            handle(chain, req, res);
        } finally {
            draining.requestEnded();
        }
        if (res.isSent() && closes(req, res)) {
            throw new CloseConnectionException("the response said Connection: close");
        }
    }

    private void handle(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long started = System.nanoTime();
        String id = req.headers().first(HeaderNames.create(REQUEST_ID)).filter(s -> !s.isBlank())
                .orElseGet(() -> UUID.randomUUID().toString());
        long acceptedAt = System.currentTimeMillis();
        req.context().register(new RequestInfo(id, acceptedAt));
        MDC.put(MDC_REQUEST_ID, id);
        try {
            res.header(HeaderNames.SERVER, serverHeader);
            res.header(REQUEST_ID, id);
            res.header(ACCEPTED_AT, Long.toString(acceptedAt));
            if (closeConnections) {
                res.header(HeaderNames.CONNECTION, "close");
            }
            cors(req, res);
            if (draining.isDraining()) {
                // before preflights too: HAProxy's plain "option httpchk" checks with OPTIONS /
                Responses.error(res, ApiException.stopping(ApiErrors.STOPPING));
                return;
            }
            if (req.prologue().method() == Method.OPTIONS) {
                res.status(Status.OK_200);
                res.send();
                return;
            }
            chain.proceed();
        } catch (CloseConnectionException gone) {
            LOG.debug("the client closed the connection before the response was complete");
            throw gone;
        } catch (Throwable t) {
            Responses.error(res, t);
        } finally {
            String path = req.path().rawPath();
            if (!"/health".equals(path)) {
                ACCESS.info("rid {} | {} {} | client {}:{} | status {} | {} ms", id, req.prologue().method().text(),
                        path, req.remotePeer().host(), req.remotePeer().port(), res.status().code(),
                        (System.nanoTime() - started) / 1_000_000);
            }
            MDC.remove(MDC_REQUEST_ID);
        }
    }

    /** Whether the request or its response carries the {@code close} connection option (RFC 9112, 9.6). */
    private static boolean closes(RoutingRequest req, RoutingResponse res) {
        return hasClose(req.headers().all(HeaderNames.CONNECTION, List::of))
                || hasClose(res.headers().all(HeaderNames.CONNECTION, List::of));
    }

    private static boolean hasClose(List<String> values) {
        for (String value : values) {
            for (String option : value.split(",")) {
                if (option.trim().equalsIgnoreCase("close")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void cors(RoutingRequest req, RoutingResponse res) {
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        if (origin.isPresent()) {
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin.get());
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            res.header(HeaderNames.VARY, "Origin");
        } else {
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        }
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS");
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS,
                req.headers().first(HeaderNames.ACCESS_CONTROL_REQUEST_HEADERS).orElse("*"));
        res.header(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, REQUEST_ID + ", " + ACCEPTED_AT);
    }
}
