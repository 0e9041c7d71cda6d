package io.llamabox.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chat template that replaces the model's own.
 *
 * @param template a built-in template name or Jinja template text; absent uses the model's metadata
 *        ({@code --chat-template}, or the content of {@code --chat-template-file})
 * @param file the file the template was read from, if it came from {@code --chat-template-file}
 * @param jinja whether templates are rendered by the Jinja engine ({@code --jinja})
 * @param kwargs variables every render gets unless a request's {@code chat_template_kwargs} sets them: each
 *        name with its value as JSON text ({@code --chat-template-kwargs})
 */
public record ChatTemplateSettings(Optional<String> template, Optional<Path> file, boolean jinja,
        Map<String, String> kwargs) {
    /** The names {@code --chat-template} accepts without {@code --jinja}, as the spec lists them. */
    public static final List<String> BUILT_IN_TEMPLATES = List.of("chatglm3", "chatglm4", "chatml", "command-r",
            "deepseek", "deepseek2", "deepseek3", "exaone3", "falcon", "falcon3", "gemma", "gigachat", "granite",
            "llama2", "llama2-sys", "llama2-sys-bos", "llama2-sys-strip", "llama3", "llava", "llava-mistral", "megrez",
            "minicpm", "mistral-v1", "mistral-v3", "mistral-v3-tekken", "mistral-v7", "monarch", "openchat", "orion",
            "phi3", "phi4", "rwkv-world", "vicuna", "vicuna-orca", "zephyr");

    public ChatTemplateSettings {
        Invariants.optional("chat template", template);
        Invariants.optional("chat template file", file);
        kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(Invariants.present("chat template kwargs", kwargs)));
        if (file.isPresent() && template.isEmpty()) {
            throw new IllegalArgumentException("a chat template file needs the template text it holds");
        }
    }

    /** Whether the template is one of {@link #BUILT_IN_TEMPLATES} by name rather than template text. */
    public boolean isBuiltInName() {
        return template.filter(BUILT_IN_TEMPLATES::contains).isPresent();
    }
}
