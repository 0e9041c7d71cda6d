package io.llamabox.chat.jinja;

/**
 * Observes which input values a render touched, and how. Chat templates are probed this way to learn
 * what they support (does the template read the system message? iterate the content as parts?), the
 * way the peer does. Values are compared by identity.
 */
public interface UsageTracker {

    /** {@code value} was read: looked up by name, taken from a container, iterated, or given to a filter. */
    void used(Object value);

    /** {@code operation} was applied to {@code value}: a filter or method name, {@code "array_access"}
     *  (integer subscript or iteration as a list) or {@code "object_access"} (string key or iteration as a
     *  mapping). */
    void operation(Object value, String operation);
}
