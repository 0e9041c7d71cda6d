package io.llamabox.server.http;

import io.helidon.webserver.http.ServerRequest;

/** What the server noted when a request arrived: its id (client's or generated) and the time. */
public record RequestInfo(String id, long acceptedAtMillis) {
    public static RequestInfo of(ServerRequest request) {
        return request.context().get(RequestInfo.class)
                .orElseThrow(() -> new IllegalStateException("the request filter did not run"));
    }
}
