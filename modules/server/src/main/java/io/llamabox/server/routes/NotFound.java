package io.llamabox.server.routes;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.ErrorKind;

/** The last route: whatever no service took is a 404 in OpenAI's error shape. */
public final class NotFound implements Handler {
    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        throw new ApiException(ErrorKind.NOT_FOUND,
                "no endpoint " + req.prologue().method().text() + " " + req.path().rawPath());
    }
}
