package io.llamabox.testkit.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Chat templates for generated models. */
public final class ChatTemplates {

    /** A plain ChatML template: {@code <|im_start|>role\ncontent<|im_end|>\n} per message. */
    public static final String CHATML = """
            {%- for message in messages -%}
            {{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' -}}
            {%- endfor -%}
            {%- if add_generation_prompt -%}
            {{- '<|im_start|>assistant\\n' -}}
            {%- endif -%}
            """;

    private ChatTemplates() {
    }

    /** Reads a template file (UTF-8). */
    public static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
