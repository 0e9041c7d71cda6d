#!/usr/bin/env bash
# Generate images with a LLaMA Box server's /v1/images/generations, with bash, curl and jq; with IMAGE set (or
# as tools/image_edit.sh), edit that picture through /v1/images/edits instead.
#
#   tools/image_generate.sh "A lovely cat"     one prompt: progress on stderr, the PNGs' paths on stdout
#   tools/image_generate.sh                    interactive: a prompt per line (empty line or Ctrl-D ends)
#   IMAGE=in.png [MASK=mask.png] tools/image_generate.sh "A lovely cat"    an edit (inpainting with MASK)
#
# The images go to OUTPUT_DIR (default ./images) as <date>-<time>-<index>.png.
# Environment: API_URL (default http://127.0.0.1:8080), API_KEY, MODEL, N (images per prompt, default 1),
# SIZE (default 512x512), QUALITY (standard or hd), STYLE (vivid or natural), NEGATIVE_PROMPT,
# SAMPLER (euler_a, euler, heun, dpm2, dpm++2s_a, dpm++2m, dpm++2mv2, ipndm, ipndm_v, lcm, ddim_trailing,
# tcd), STEPS, SCHEDULE (default, discrete, karras, exponential, ays, gits), CFG_SCALE, GUIDANCE,
# SEED (default random), PREVIEW=true (keeps the latest preview of each image as <name>.preview.png),
# OUTPUT_DIR; for edits IMAGE (the picture), MASK (white or transparent = repaint), STRENGTH (0..1); SIZE then
# defaults to the picture's. Unset settings are the server's.
set -euo pipefail

API_URL=${API_URL:-http://127.0.0.1:8080}
MODEL=${MODEL:-llama-box}
N=${N:-1}
IMAGE=${IMAGE:-}
MASK=${MASK:-}
if [ -n "$IMAGE" ]; then SIZE=${SIZE:-}; else SIZE=${SIZE:-512x512}; fi
PREVIEW=${PREVIEW:-false}
OUTPUT_DIR=${OUTPUT_DIR:-./images}

for tool in curl jq base64; do
  command -v "$tool" >/dev/null || { echo "image_generate.sh needs $tool" >&2; exit 1; }
done

for file in "$IMAGE" "$MASK"; do
  [ -z "$file" ] || [ -r "$file" ] || { echo "cannot read $file" >&2; exit 1; }
done
[ -z "$MASK" ] || [ -n "$IMAGE" ] || { echo "MASK needs IMAGE, the picture to edit" >&2; exit 1; }

headers=()
[ -n "${API_KEY:-}" ] && headers+=(-H "Authorization: Bearer $API_KEY")

# The request body for a prompt: the settings given in the environment, and a stream of progress.
request_for() {
  jq -n --arg prompt "$1" --arg model "$MODEL" --argjson n "$N" --arg size "$SIZE" \
    --arg quality "${QUALITY:-}" --arg style "${STYLE:-}" --arg negative "${NEGATIVE_PROMPT:-}" \
    --arg sampler "${SAMPLER:-}" --arg steps "${STEPS:-}" --arg schedule "${SCHEDULE:-}" \
    --arg cfg "${CFG_SCALE:-}" --arg guidance "${GUIDANCE:-}" --arg seed "${SEED:-}" --arg preview "$PREVIEW" \
    '{model: $model, prompt: $prompt, n: $n, size: $size, response_format: "b64_json", stream: true,
      stream_options: {include_usage: true, preview: ($preview == "true")}}
     + (if $quality != "" then {quality: $quality} else {} end)
     + (if $style != "" then {style: $style} else {} end)
     + (if $negative != "" then {negative_prompt: $negative} else {} end)
     + (if $sampler != "" then {sample_method: $sampler} else {} end)
     + (if $steps != "" then {sampling_steps: ($steps | tonumber)} else {} end)
     + (if $schedule != "" then {schedule_method: $schedule} else {} end)
     + (if $cfg != "" then {cfg_scale: ($cfg | tonumber)} else {} end)
     + (if $guidance != "" then {guidance: ($guidance | tonumber)} else {} end)
     + (if $seed != "" then {seed: ($seed | tonumber)} else {} end)'
}

# The request for a prompt: a JSON body for a generation; for an edit, the same fields as a multipart form
# (values with --form-string, so that a prompt starting with @ or < stays text), the picture and the mask.
post_args() {
  local body
  body=$(request_for "$1")
  if [ -z "$IMAGE" ]; then
    printf '%s\0' -H "Content-Type: application/json" "$API_URL/v1/images/generations" -d "$body"
    return
  fi
  jq -j '(if .size == "" then del(.size) else . end)
         | (.stream_options | to_entries[] | "stream_options_\(.key)=\(.value)\u0000"),
           (del(.stream_options) | to_entries[] | "\(.key)=\(.value)\u0000")' <<<"$body" |
    while IFS= read -r -d '' field; do printf '%s\0' --form-string "$field"; done
  [ -z "${STRENGTH:-}" ] || printf '%s\0' --form-string "strength=$STRENGTH"
  printf '%s\0' -F "image=@$IMAGE"
  [ -z "$MASK" ] || printf '%s\0' -F "mask=@$MASK"
  printf '%s\0' "$API_URL/v1/images/edits"
}

# A file name for image INDEX of this prompt that no earlier image has taken.
name_for() {
  local base="$OUTPUT_DIR/$STAMP-$1" name suffix=1
  name=$base
  while [ -e "$name.png" ]; do
    suffix=$((suffix + 1))
    name="$base-$suffix"
  done
  printf '%s' "$name"
}

# Streams one prompt's images: progress on stderr, each finished PNG's path on stdout.
generate() {
  local line data status index progress finish work done=false args=()
  while IFS= read -r -d '' arg; do args+=("$arg"); done < <(post_args "$1")
  mkdir -p "$OUTPUT_DIR"
  STAMP=$(date +%Y%m%d-%H%M%S)
  work=$(mktemp -d)
  declare -A names=()
  status=0
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    case "$line" in
      "data: [DONE]")
        done=true
        break ;;
      data:*)
        data=${line#data: }
        if jq -e 'has("error")' <<<"$data" >/dev/null; then
          printf '\nerror: %s\n' "$(jq -r '.error.message' <<<"$data")" >&2
          status=1
          break
        fi
        read -r index progress finish < <(jq -r '.data[0] | "\(.index) \(.progress) \(.finish_reason // "-")"' <<<"$data")
        [ -n "${names[$index]:-}" ] || names[$index]=$(name_for "$index")
        if [ "$(jq -r '.data[0].progress >= 100' <<<"$data")" = true ]; then
          jq -j '.data[0].b64_json // empty' <<<"$data" >>"$work/$index"
          if [ "$finish" = stop ]; then
            base64 -d <"$work/$index" >"${names[$index]}.png"
            printf '\rimage %d/%d: done%20s\n' "$((index + 1))" "$N" "" >&2
            printf '%s\n' "${names[$index]}.png"
          fi
        else
          printf '\rimage %d/%d: %5.1f%%' "$((index + 1))" "$N" "$progress" >&2
          if [ "$PREVIEW" = true ]; then
            jq -j '.data[0].b64_json // empty' <<<"$data" | base64 -d >"${names[$index]}.preview.png" 2>/dev/null || true
          fi
        fi
        if jq -e 'has("usage")' <<<"$data" >/dev/null; then
          jq -r '.usage | "\(.time_to_process_ms | round) ms in all, \(.time_per_generation_ms | round) ms per image"' \
            <<<"$data" >&2
        fi
        ;;
      '{"error"'*)
        printf 'error: %s\n' "$(jq -r '.error.message' <<<"$line")" >&2
        status=1
        break ;;
      *) ;; # keep-alive comments and blank lines between events
    esac
  done < <(curl -sS -N --fail-with-body ${headers[@]+"${headers[@]}"} "${args[@]}" 2>"$work/curl.err" || true)
  if [ "$status" = 0 ] && [ "$done" = false ]; then
    printf '\nerror: the stream ended early. %s\n' "$(cat "$work/curl.err")" >&2
    status=1
  fi
  rm -rf "$work"
  return "$status"
}

if [ $# -gt 0 ]; then
  generate "$*"
  exit $?
fi

while true; do
  printf '> ' >&2
  IFS= read -r prompt || break
  [ -z "$prompt" ] && break
  generate "$prompt" || true
done
