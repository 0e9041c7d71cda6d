/**
 * The HTTP layer of LLaMA Box: an OpenAI-compatible server (Helidon SE) in front of a
 * {@link io.llamabox.spi.TextEngine}. {@link io.llamabox.server.LlamaBoxServer} is the entry point.
 */
module io.llamabox.server {
    requires transitive io.llamabox.spi;
    requires transitive com.fasterxml.jackson.databind;
    requires io.helidon.webserver;
    requires io.helidon.http;
    requires org.slf4j;

    exports io.llamabox.server;

    // Jackson reads and writes the request/response records reflectively.
    opens io.llamabox.server.http to com.fasterxml.jackson.databind;
    opens io.llamabox.server.routes to com.fasterxml.jackson.databind;
    opens io.llamabox.server.generate to com.fasterxml.jackson.databind;
}
