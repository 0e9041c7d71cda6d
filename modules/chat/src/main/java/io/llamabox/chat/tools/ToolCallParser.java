package io.llamabox.chat.tools;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads tool calls out of model output as it streams. {@link #push} takes each new piece of text and
 * returns what is decided: plain text, and calls once they are complete. Text that may still turn out to
 * be the start of a call is held back until it is decided, and so is whitespace next to calls (dropped
 * when a call follows or precedes it), so that the pieces streamed add up to exactly what
 * {@link #parse} returns for the whole output. An output that ends inside a call (cut by the token limit)
 * drops that unfinished call: its markup never becomes content.
 *
 * <pre>{@code
 * ToolCallParser p = ToolCallFormat.HERMES.parser(tools);
 * for (String piece : pieces) {
 *     for (ToolCallParser.Event e : p.push(piece)) { ... }
 * }
 * for (ToolCallParser.Event e : p.finish()) { ... }
 * }</pre>
 */
public final class ToolCallParser {
    /** Something decided in the output. */
    public sealed interface Event {
    }

    /** Plain text for the message's {@code content}. */
    public record Content(String text) implements Event {
    }

    /** A complete call. */
    public record Call(ToolCall call) implements Event {
    }

    /**
     * A whole output read at once.
     *
     * @param content the text around the calls, or null when there is none
     * @param calls   the calls in order
     */
    public record Result(String content, List<ToolCall> calls) {
        public Result {
            calls = List.copyOf(calls);
        }
    }

    private final CallSyntax syntax;
    private final ToolSet tools;
    private final StringBuilder buf = new StringBuilder();
    private final StringBuilder heldSpace = new StringBuilder();
    private boolean callMayStart = true;
    private boolean afterCall;
    private boolean anyCall;
    private boolean unfinishedCall;
    private boolean finished;

    ToolCallParser(CallSyntax syntax, List<ToolDefinition> tools) {
        this.syntax = syntax;
        this.tools = new ToolSet(tools);
    }

    /** Reads a whole output. */
    public Result parse(String output) {
        List<Event> events = new ArrayList<>(push(output));
        events.addAll(finish());
        StringBuilder content = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (Event e : events) {
            switch (e) {
                case Content c -> content.append(c.text());
                case Call c -> calls.add(c.call());
            }
        }
        return new Result(content.isEmpty() ? null : content.toString(), calls);
    }

    /** The next piece of output; returns what it decided. */
    public List<Event> push(String text) {
        if (finished) {
            throw new IllegalStateException("the output has ended");
        }
        buf.append(text);
        return drain(false);
    }

    /** The output has ended: everything left is decided. */
    public List<Event> finish() {
        if (finished) {
            return List.of();
        }
        List<Event> out = drain(true);
        finished = true;
        if (!anyCall && !heldSpace.isEmpty()) {
            out.add(new Content(heldSpace.toString()));
        }
        heldSpace.setLength(0);
        return out;
    }

    /** Whether the output ended inside a call, which was dropped (neither a call nor content). */
    public boolean endedInsideCall() {
        return unfinishedCall;
    }

    /** Whether any call has been read. */
    public boolean sawCall() {
        return anyCall;
    }

    private List<Event> drain(boolean atEnd) {
        List<Event> out = new ArrayList<>();
        while (!buf.isEmpty()) {
            String s = buf.toString();
            Step step = syntax.scan(s, callMayStart, atEnd, tools);
            switch (step) {
                case Step.Text t -> {
                    text(s.substring(0, t.length()), out);
                    buf.delete(0, t.length());
                    tools.forgetScans();
                }
                case Step.Calls c -> {
                    heldSpace.setLength(0);
                    for (ToolCall call : c.calls()) {
                        out.add(new Call(call));
                        anyCall = true;
                    }
                    callMayStart = true;
                    afterCall = true;
                    buf.delete(0, c.length());
                    tools.forgetScans();
                }
                case Step.Unfinished u -> {
                    heldSpace.setLength(0);
                    buf.setLength(0);
                    unfinishedCall = true;
                }
                case Step.Wait w -> {
                    if (atEnd) {
                        throw new IllegalStateException(syntax.getClass().getSimpleName() + " waited at the end");
                    }
                    return out;
                }
            }
        }
        return out;
    }

    /** Plain text: whitespace at its end is held until text or a call follows. */
    private void text(String s, List<Event> out) {
        heldSpace.append(s);
        String pending = heldSpace.toString();
        int end = pending.length();
        while (end > 0 && Character.isWhitespace(pending.charAt(end - 1))) {
            end--;
        }
        if (end == 0) {
            return;
        }
        int begin = 0;
        if (afterCall) {
            while (begin < end && Character.isWhitespace(pending.charAt(begin))) {
                begin++;
            }
        }
        out.add(new Content(pending.substring(begin, end)));
        heldSpace.setLength(0);
        heldSpace.append(pending, end, pending.length());
        callMayStart = false;
        afterCall = false;
    }
}
