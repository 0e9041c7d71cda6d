/**
 * Chat prompts for LLaMA Box: a Jinja interpreter written for Hugging Face chat templates, the built-in
 * named templates of llama.cpp, and the conversation handling of the peer {@code llama-server}.
 */
module io.llamabox.chat {
    requires transitive com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports io.llamabox.chat;
}
