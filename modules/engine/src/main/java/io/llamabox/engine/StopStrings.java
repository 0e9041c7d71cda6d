package io.llamabox.engine;

import java.util.List;

/**
 * Finds stop strings in generated text. Text that could be the start of a stop string is held back
 * until the next token decides; a full match cuts the text at the match.
 */
final class StopStrings {
    private final List<String> stops;
    private final StringBuilder held = new StringBuilder();
    private String matched;

    StopStrings(List<String> stops) {
        this.stops = stops.stream().filter(s -> !s.isEmpty()).toList();
    }

    /** Adds text and returns what may be sent now. After a match, {@link #matched()} is set. */
    String push(String text) {
        if (matched != null) {
            return "";
        }
        held.append(text);
        if (stops.isEmpty()) {
            String out = held.toString();
            held.setLength(0);
            return out;
        }
        int first = -1;
        String which = null;
        for (String s : stops) {
            int at = held.indexOf(s);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
                which = s;
            }
        }
        if (which != null) {
            matched = which;
            String out = held.substring(0, first);
            held.setLength(0);
            return out;
        }
        int keep = 0;
        for (String s : stops) {
            keep = Math.max(keep, partialSuffix(held, s));
        }
        String out = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return out;
    }

    /** The held-back text, released at the end of a generation that did not stop on a string. */
    String drain() {
        String out = held.toString();
        held.setLength(0);
        return out;
    }

    String matched() {
        return matched;
    }

    /** Length of the longest suffix of {@code text} that is a proper prefix of {@code stop}. */
    static int partialSuffix(CharSequence text, String stop) {
        int max = Math.min(stop.length() - 1, text.length());
        for (int len = max; len > 0; len--) {
            boolean same = true;
            for (int i = 0; i < len; i++) {
                if (text.charAt(text.length() - len + i) != stop.charAt(i)) {
                    same = false;
                    break;
                }
            }
            if (same) {
                return len;
            }
        }
        return 0;
    }
}
