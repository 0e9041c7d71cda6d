/**
 * The HTTP layer of LLaMA Box: an OpenAI-compatible server (Helidon SE) in front of a
 * {@link io.llamabox.spi.TextEngine} and an {@link io.llamabox.spi.EmbeddingEngine}, or of an
 * {@link io.llamabox.spi.image.ImageEngine}.
 * {@link io.llamabox.server.LlamaBoxServer} is the entry point.
 */
module io.llamabox.server {
    requires transitive io.llamabox.spi;
    // the tool-call formats of a model's chat template are part of PromptRenderer
    requires transitive io.llamabox.chat;
    requires transitive com.fasterxml.jackson.databind;
    requires io.helidon.webserver;
    requires io.helidon.http;
    // an HTTP/1.0 connection says whether Helidon may interrupt it while it waits
    requires io.helidon.common.task;
    requires org.slf4j;
    // image_url parts given as http(s) URLs are fetched
    requires java.net.http;
    // an image edit's picture and mask are decoded (javax.imageio) and scaled (java.awt) before the engine
    requires java.desktop;
    // Prometheus simpleclient has no module descriptor: these are its automatic module names.
    requires simpleclient;
    requires simpleclient.common;

    exports io.llamabox.server;

    // Jackson reads and writes the request/response records reflectively.
    opens io.llamabox.server.http to com.fasterxml.jackson.databind;
    opens io.llamabox.server.routes to com.fasterxml.jackson.databind;
    opens io.llamabox.server.generate to com.fasterxml.jackson.databind;
    opens io.llamabox.server.images to com.fasterxml.jackson.databind;
}
