#include "utf8_guard.hpp"

#include <cmath>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace llamabox {
namespace {

// States of the well-formed UTF-8 automaton: between characters, or inside one, named by what the next
// byte must be.
enum state : int8_t {
    REJECT = -1,
    BETWEEN = 0,
    ONE_MORE,      // 80..BF, then done
    TWO_MORE,      // 80..BF, then ONE_MORE
    THREE_MORE,    // 80..BF, then TWO_MORE
    AFTER_E0,      // A0..BF, then ONE_MORE (no overlong)
    AFTER_ED,      // 80..9F, then ONE_MORE (no surrogate)
    AFTER_F0,      // 90..BF, then TWO_MORE (no overlong)
    AFTER_F4,      // 80..8F, then TWO_MORE (nothing past U+10FFFF)
};

int8_t step(int8_t s, uint8_t b) {
    auto in = [b](int lo, int hi) { return b >= lo && b <= hi; };
    switch (s) {
        case BETWEEN:
            if (b < 0x80) return BETWEEN;
            if (in(0xC2, 0xDF)) return ONE_MORE;
            if (b == 0xE0) return AFTER_E0;
            if (b == 0xED) return AFTER_ED;
            if (in(0xE1, 0xEF)) return TWO_MORE;
            if (b == 0xF0) return AFTER_F0;
            if (in(0xF1, 0xF3)) return THREE_MORE;
            if (b == 0xF4) return AFTER_F4;
            return REJECT;
        case ONE_MORE: return in(0x80, 0xBF) ? BETWEEN : REJECT;
        case TWO_MORE: return in(0x80, 0xBF) ? ONE_MORE : REJECT;
        case THREE_MORE: return in(0x80, 0xBF) ? TWO_MORE : REJECT;
        case AFTER_E0: return in(0xA0, 0xBF) ? ONE_MORE : REJECT;
        case AFTER_ED: return in(0x80, 0x9F) ? ONE_MORE : REJECT;
        case AFTER_F0: return in(0x90, 0xBF) ? TWO_MORE : REJECT;
        case AFTER_F4: return in(0x80, 0x8F) ? TWO_MORE : REJECT;
        default: return REJECT;
    }
}

// Every token's piece, and where each leads from BETWEEN (the common case, looked up instead of run).
struct pieces {
    std::vector<uint8_t> bytes;
    std::vector<uint32_t> start; // n_vocab + 1 offsets into bytes
    std::vector<int8_t> from_between;

    int8_t run(int8_t s, llama_token t) const {
        if (s == BETWEEN) return from_between[static_cast<size_t>(t)];
        for (uint32_t i = start[static_cast<size_t>(t)]; i < start[static_cast<size_t>(t) + 1] && s != REJECT; i++) {
            s = step(s, bytes[i]);
        }
        // a piece with no bytes (a control token) may not come inside a character
        return start[static_cast<size_t>(t)] == start[static_cast<size_t>(t) + 1] && s != BETWEEN ? REJECT : s;
    }
};

std::mutex cache_lock;
std::unordered_map<const llama_vocab *, std::shared_ptr<const pieces>> cache;

std::shared_ptr<const pieces> pieces_of(const llama_vocab *vocab) {
    std::lock_guard<std::mutex> g(cache_lock);
    auto it = cache.find(vocab);
    if (it != cache.end()) return it->second;
    auto p = std::make_shared<pieces>();
    const int32_t n = llama_vocab_n_tokens(vocab);
    p->start.reserve(static_cast<size_t>(n) + 1);
    std::vector<char> buf(256);
    for (llama_token t = 0; t < n; t++) {
        p->start.push_back(static_cast<uint32_t>(p->bytes.size()));
        int32_t len = llama_token_to_piece(vocab, t, buf.data(), static_cast<int32_t>(buf.size()), 0, false);
        if (len < 0) {
            buf.resize(static_cast<size_t>(-len));
            len = llama_token_to_piece(vocab, t, buf.data(), static_cast<int32_t>(buf.size()), 0, false);
        }
        for (int32_t i = 0; i < len; i++) p->bytes.push_back(static_cast<uint8_t>(buf[static_cast<size_t>(i)]));
    }
    p->start.push_back(static_cast<uint32_t>(p->bytes.size()));
    p->from_between.resize(static_cast<size_t>(n));
    for (llama_token t = 0; t < n; t++) {
        int8_t s = BETWEEN;
        for (uint32_t i = p->start[static_cast<size_t>(t)]; i < p->start[static_cast<size_t>(t) + 1] && s != REJECT; i++) {
            s = step(s, p->bytes[i]);
        }
        p->from_between[static_cast<size_t>(t)] = s;
    }
    cache.emplace(vocab, p);
    return p;
}

struct guard {
    std::shared_ptr<const pieces> table;
    int8_t state = BETWEEN;
};

const char *guard_name(const llama_sampler *) { return "utf8-guard"; }

void guard_accept(llama_sampler *s, llama_token t) {
    auto *g = static_cast<guard *>(s->ctx);
    if (t < 0 || static_cast<size_t>(t) >= g->table->from_between.size()) return;
    int8_t next = g->table->run(g->state, t);
    g->state = next == REJECT ? BETWEEN : next;
}

void guard_apply(llama_sampler *s, llama_token_data_array *cur) {
    auto *g = static_cast<guard *>(s->ctx);
    const size_t n = g->table->from_between.size();
    for (size_t i = 0; i < cur->size; i++) {
        llama_token_data &d = cur->data[i];
        if (d.id < 0 || static_cast<size_t>(d.id) >= n || std::isinf(d.logit)) continue;
        if (g->table->run(g->state, d.id) == REJECT) d.logit = -INFINITY;
    }
}

void guard_reset(llama_sampler *s) { static_cast<guard *>(s->ctx)->state = BETWEEN; }

llama_sampler *guard_clone(const llama_sampler *s);

void guard_free(llama_sampler *s) { delete static_cast<guard *>(s->ctx); }

llama_sampler_i make_iface() {
    llama_sampler_i i{};
    i.name = guard_name;
    i.accept = guard_accept;
    i.apply = guard_apply;
    i.reset = guard_reset;
    i.clone = guard_clone;
    i.free = guard_free;
    return i;
}

llama_sampler_i guard_iface = make_iface();

llama_sampler *guard_clone(const llama_sampler *s) {
    auto *from = static_cast<const guard *>(s->ctx);
    return llama_sampler_init(&guard_iface, new guard{from->table, from->state});
}

} // namespace

llama_sampler *utf8_guard_init(const llama_vocab *vocab) {
    return llama_sampler_init(&guard_iface, new guard{pieces_of(vocab), BETWEEN});
}

void utf8_guard_forget(const llama_vocab *vocab) {
    std::lock_guard<std::mutex> g(cache_lock);
    cache.erase(vocab);
}

} // namespace llamabox
