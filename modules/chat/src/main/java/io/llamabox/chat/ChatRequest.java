package io.llamabox.chat;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A conversation to render into a prompt, in the shape of an OpenAI chat request.
 *
 * <p>Each message is an object with {@code role} and {@code content} (a string, null, or a list of parts
 * {@code {"type": "text", "text": ...}}; the peer's {@code {"type": "media_marker", "text": ...}} parts are
 * accepted too), and optionally {@code tool_calls}, {@code tool_call_id}, {@code name} and
 * {@code reasoning_content}. Other fields are ignored, as the peer ignores them. A final assistant
 * message is rendered the way the template renders any assistant message; continuing it (the peer's
 * "assistant prefill") is up to the caller.
 *
 * @param messages            the messages (a JSON array)
 * @param tools               OpenAI {@code tools} (a JSON array), or null for none
 * @param addGenerationPrompt whether to end with the opening of an assistant turn
 * @param enableThinking      {@code enable_thinking} for the template; null leaves it undefined, so the
 *                            template's own default applies
 * @param templateKwargs      extra template variables ({@code chat_template_kwargs}); they cannot replace
 *                            {@code bos_token} or {@code eos_token}
 */
public record ChatRequest(JsonNode messages, JsonNode tools, boolean addGenerationPrompt, Boolean enableThinking,
                          Map<String, JsonNode> templateKwargs) {

    public ChatRequest {
        Objects.requireNonNull(messages, "messages");
        templateKwargs = templateKwargs == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(templateKwargs));
    }

    /** The messages, no tools, with a generation prompt. */
    public static ChatRequest of(JsonNode messages) {
        return new ChatRequest(messages, null, true, null, Map.of());
    }

    public ChatRequest withTools(JsonNode tools) {
        return new ChatRequest(messages, tools, addGenerationPrompt, enableThinking, templateKwargs);
    }

    public ChatRequest withGenerationPrompt(boolean add) {
        return new ChatRequest(messages, tools, add, enableThinking, templateKwargs);
    }

    public ChatRequest withEnableThinking(Boolean enable) {
        return new ChatRequest(messages, tools, addGenerationPrompt, enable, templateKwargs);
    }

    public ChatRequest withTemplateKwargs(Map<String, JsonNode> kwargs) {
        return new ChatRequest(messages, tools, addGenerationPrompt, enableThinking, kwargs);
    }
}
