/** llama.cpp-backed engines: the text engine with its slot scheduler and prompt cache. */
module io.llamabox.engine {
    requires transitive io.llamabox.spi;
    requires io.llamabox.jni;
    requires org.slf4j;
    // javax.imageio decodes the images of vision prompts
    requires java.desktop;

    exports io.llamabox.engine;
}
