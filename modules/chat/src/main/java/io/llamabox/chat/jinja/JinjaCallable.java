package io.llamabox.chat.jinja;

import java.util.List;
import java.util.Map;

/** Something a template can call: a macro, a global function, a bound method, {@code caller}, {@code loop}. */
interface JinjaCallable {

    Object call(Renderer renderer, List<Object> args, Map<String, Object> kwargs);
}
