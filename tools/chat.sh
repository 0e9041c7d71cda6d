#!/usr/bin/env bash
# Talk to a LLaMA Box server's /v1/chat/completions with bash, curl and jq.
#
#   tools/chat.sh "Tell me a joke"          one question, streamed answer
#   tools/chat.sh                           interactive chat (history kept; empty line or Ctrl-D ends)
#   tools/chat.sh @/tmp/data.json           send a whole request body from a file
#
# Environment: API_URL (default http://127.0.0.1:8080), MODEL, MAX_TOKENS (default 256),
# TEMP (default 0.8), TOP_P (default 0.9), SEED, API_KEY, TOOLS_WITH=true (offers a get_weather tool).
set -euo pipefail

API_URL=${API_URL:-http://127.0.0.1:8080}
MODEL=${MODEL:-llama-box}
MAX_TOKENS=${MAX_TOKENS:-256}
TEMP=${TEMP:-0.8}
TOP_P=${TOP_P:-0.9}
SEED=${SEED:--1}
TOOLS_WITH=${TOOLS_WITH:-false}

for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "chat.sh needs $tool" >&2; exit 1; }
done

TOOLS='[]'
if [ "$TOOLS_WITH" = true ]; then
  TOOLS='[{"type":"function","function":{"name":"get_weather","description":"Get the current weather of a location","parameters":{"type":"object","properties":{"location":{"type":"string","description":"a city, e.g. Paris"}},"required":["location"]}}}]'
fi

MESSAGES='[]'

headers=(-H "Content-Type: application/json")
[ -n "${API_KEY:-}" ] && headers+=(-H "Authorization: Bearer $API_KEY")

# Streams one request body; prints content as it arrives and leaves the full answer in ANSWER.
stream() {
  local body=$1
  ANSWER=""
  local line data piece err calls=""
  while IFS= read -r line; do
    line=${line%$'\r'}
    case "$line" in
      "data: [DONE]") break ;;
      data:*)
        data=${line#data: }
        err=$(jq -r '.error.message // empty' <<<"$data" 2>/dev/null || true)
        if [ -n "$err" ]; then echo "error: $err" >&2; return 1; fi
        piece=$(jq -j '.choices[0].delta.content // empty' <<<"$data")
        ANSWER+=$piece
        printf '%s' "$piece"
        calls+=$(jq -c '.choices[0].delta.tool_calls // empty' <<<"$data")
        ;;
      '{"error"'*)
        echo "error: $(jq -r '.error.message' <<<"$line")" >&2
        return 1 ;;
    esac
  done < <(curl -sS -N --fail-with-body "${headers[@]}" "$API_URL/v1/chat/completions" -d "$body" 2>&1 || true)
  [ -n "$calls" ] && printf '\n[tool calls] %s' "$calls"
  printf '\n'
}

request_for() {
  jq -n --arg model "$MODEL" --argjson messages "$MESSAGES" --argjson tools "$TOOLS" \
    --argjson max "$MAX_TOKENS" --argjson temp "$TEMP" --argjson top_p "$TOP_P" --argjson seed "$SEED" \
    '{model: $model, stream: true, messages: $messages, max_tokens: $max, temperature: $temp, top_p: $top_p, seed: $seed}
     + (if ($tools | length) > 0 then {tools: $tools} else {} end)'
}

ask() {
  MESSAGES=$(jq -c --arg c "$1" '. + [{role: "user", content: $c}]' <<<"$MESSAGES")
  stream "$(request_for)"
  MESSAGES=$(jq -c --arg c "$ANSWER" '. + [{role: "assistant", content: $c}]' <<<"$MESSAGES")
}

if [ $# -gt 0 ]; then
  if [[ "$1" == @* ]]; then
    file=${1#@}
    [ -f "$file" ] || { echo "no such file: $file" >&2; exit 1; }
    stream "$(jq -c '. + {stream: true}' "$file")"
  else
    ask "$*"
  fi
  exit 0
fi

while true; do
  printf '> '
  IFS= read -r question || break
  [ -z "$question" ] && break
  ask "$question"
done
