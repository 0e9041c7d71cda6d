package io.llamabox.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Lookup of an enum constant by the lower-case label that users write. */
final class Labels {
    private Labels() {
    }

    static <E extends Enum<E>> Optional<E> find(Class<E> type, Function<E, String> label, String text) {
        if (text == null) {
            return Optional.empty();
        }
        return Arrays.stream(type.getEnumConstants()).filter(e -> label.apply(e).equals(text)).findFirst();
    }

    static <E extends Enum<E>> String list(Class<E> type, Function<E, String> label) {
        return Arrays.stream(type.getEnumConstants()).map(label).collect(Collectors.joining(", "));
    }
}
