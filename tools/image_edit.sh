#!/usr/bin/env bash
# Edit a picture with a LLaMA Box server's /v1/images/edits, with bash, curl and jq.
#
#   IMAGE=in.png tools/image_edit.sh "A lovely cat"              image-to-image: PNGs' paths on stdout
#   IMAGE=in.png MASK=mask.png tools/image_edit.sh "a tiger"     inpainting: white or transparent is repainted
#   IMAGE=in.png tools/image_edit.sh                             interactive: a prompt per line
#
# Everything else as tools/image_generate.sh (which this runs): API_URL, API_KEY, N, SIZE (default: the
# picture's), STRENGTH (0..1), NEGATIVE_PROMPT, SAMPLER, STEPS, SCHEDULE, CFG_SCALE, GUIDANCE, SEED, PREVIEW,
# OUTPUT_DIR.
set -euo pipefail
[ -n "${IMAGE:-}" ] || { echo "image_edit.sh: set IMAGE to the picture to edit, e.g. IMAGE=in.png" >&2; exit 1; }
export IMAGE
exec bash "$(dirname "${BASH_SOURCE[0]}")/image_generate.sh" "$@"
