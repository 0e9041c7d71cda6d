/**
 * The {@code llama-box} command line: turns arguments and {@code LLAMA_ARG_*} variables into
 * {@link io.llamabox.config.BoxSettings}, or into the text to print for help, version and errors.
 */
module io.llamabox.cli {
    requires transitive io.llamabox.config;
    requires info.picocli;

    exports io.llamabox.cli;
}
