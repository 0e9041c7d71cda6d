package io.llamabox.chat.tools;

import java.util.List;

/** What a syntax found at the start of the unread output. */
sealed interface Step {
    /** The first {@code length} characters are plain text. */
    record Text(int length) implements Step {
        public Text {
            if (length <= 0) {
                throw new IllegalArgumentException("a text step must consume something");
            }
        }
    }

    /** The first {@code length} characters are these calls. */
    record Calls(int length, List<ToolCall> calls) implements Step {
        public Calls {
            calls = List.copyOf(calls);
        }
    }

    /**
     * The output ended inside a call (cut by the token limit, or the model stopped): the rest is neither a
     * call nor text, and is dropped.
     */
    record Unfinished() implements Step {
    }

    /** Undecided: more output is needed. */
    record Wait() implements Step {
    }

    Wait WAIT = new Wait();

    Unfinished UNFINISHED = new Unfinished();
}
