// A sampler that keeps the bytes of the output well-formed UTF-8 (Unicode's table 3-7). llama.cpp's
// grammar decodes byte tokens into code points without refusing overlong forms, surrogates or values past
// U+10FFFF, so on a vocabulary with byte-fallback tokens (<0xC0>, <0xED>, <0xF5>...) a JSON string could
// take bytes that no decoder accepts. Added after the grammar in a chain that has one.
#pragma once

#include <llama.h>

namespace llamabox {

llama_sampler *utf8_guard_init(const llama_vocab *vocab);

// Forgets what was computed for a vocabulary (its model is being freed).
void utf8_guard_forget(const llama_vocab *vocab);

} // namespace llamabox
