/**
 * Chat prompts for LLaMA Box: a Jinja interpreter written for Hugging Face chat templates, the built-in
 * named templates of llama.cpp, and the conversation handling of the peer {@code llama-server}; the
 * tool-call formats of the model families ({@code io.llamabox.chat.tools}) and JSON Schema to GBNF for
 * constrained output ({@code io.llamabox.chat.schema}).
 */
module io.llamabox.chat {
    requires transitive com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports io.llamabox.chat;
    exports io.llamabox.chat.schema;
    exports io.llamabox.chat.tools;
}
