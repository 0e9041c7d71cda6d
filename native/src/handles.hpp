// The native state behind Context and Batch handles.
#pragma once

#include "llama.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace llamabox {

struct context_handle {
    llama_context *ctx = nullptr;
    const llama_model *model = nullptr;
    const llama_vocab *vocab = nullptr;
    int32_t n_vocab = 0;
    int32_t n_seq_max = 0;
    // each sequence in a KV stream of its own (kv_unified off): a copy between two of them copies whole streams
    bool split_streams = false;
    // outputs of the last successful decode: which batch indices have logits/embeddings
    int32_t last_n = 0;
    std::vector<int8_t> last_outputs;
    std::vector<std::pair<float, int32_t>> scratch;

    bool has_output(int32_t index) const {
        return index >= 0 && index < last_n && last_outputs[static_cast<size_t>(index)] != 0;
    }
};

// A llama_batch whose token/pos/seq/output arrays are Java direct buffers.
struct batch_handle {
    int32_t capacity = 0;
    llama_token *tokens = nullptr;
    llama_pos *positions = nullptr;
    llama_seq_id *seq_ids = nullptr;
    int8_t *outputs = nullptr;
    std::vector<int32_t> n_seq_id;
    std::vector<llama_seq_id *> seq_ptrs;
};

} // namespace llamabox
