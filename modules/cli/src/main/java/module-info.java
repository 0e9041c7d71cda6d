/**
 * The {@code llama-box} command line: turns arguments and {@code LLAMA_ARG_*} variables into
 * {@link io.llamabox.config.BoxSettings}, or into the text to print for help, version and errors; its
 * launcher ({@code io.llamabox.cli.launch.Main}) loads the backends found by ServiceLoader and starts
 * the server.
 */
module io.llamabox.cli {
    requires transitive io.llamabox.config;
    requires info.picocli;
    requires io.llamabox.spi;
    requires io.llamabox.jni;
    requires io.llamabox.engine;
    requires io.llamabox.image.engine;
    requires io.llamabox.image.jni;
    requires io.llamabox.chat;
    requires io.llamabox.server;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires java.logging;

    exports io.llamabox.cli;
    exports io.llamabox.cli.logging to java.logging;

    uses io.llamabox.spi.BackendProvider;
}
