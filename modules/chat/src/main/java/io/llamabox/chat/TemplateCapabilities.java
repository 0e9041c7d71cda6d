package io.llamabox.chat;

/**
 * What a Jinja chat template handles, found by rendering probe conversations and watching which inputs
 * the template reads (as the peer does; its {@code /props} reports the same as {@code chat_template_caps}).
 * The capabilities decide how a request's messages are shaped before the template sees them.
 *
 * @param stringContent     renders message content given as a string
 * @param typedContent      reads content as a list of parts ({@code [{"type": "text", "text": ...}]})
 * @param systemRole        reads a leading system message (otherwise it is merged into the next message)
 * @param tools             describes the {@code tools} it is given
 * @param toolCalls         renders assistant {@code tool_calls}
 * @param parallelToolCalls renders more than one tool call of a message
 * @param objectArguments   reads tool-call arguments as an object (string arguments are then parsed)
 */
public record TemplateCapabilities(boolean stringContent, boolean typedContent, boolean systemRole, boolean tools,
                                   boolean toolCalls, boolean parallelToolCalls, boolean objectArguments) {

    /** The capabilities assumed before probing, and for built-in templates. */
    public static final TemplateCapabilities DEFAULT =
            new TemplateCapabilities(true, false, true, true, true, true, false);
}
