// Which tokenizer vocabularies this build of stable-diffusion.cpp has compiled in.
#pragma once

#include <string>
#include <vector>

namespace llamabox_image {

// Names: clip, t5, umt5, qwen2, mistral, gemma, gemma2, gpt_oss. "clip" is always there.
std::vector<std::string> compiled_vocabularies();

} // namespace llamabox_image
