package io.llamabox.server.http;

/** OpenAI's error shape: {@code {"error":{"code":400,"message":"...","type":"invalid_request_error"}}}. */
public record ErrorBody(Detail error) {
    public record Detail(int code, String message, String type) {
    }

    public int status() {
        return error.code();
    }
}
