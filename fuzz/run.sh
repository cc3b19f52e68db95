#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, AddressSanitizer, UndefinedBehaviorSanitizer) in
# build-fuzz/, seeds each corpus from the repository's own files, and runs every target for
# FUZZ_SECONDS (default 120) on one core each, at most two at a time. A crash, a leak, a
# hang over 10 s or undefined behaviour stops its target and leaves the input in
# build-fuzz/findings/; the summary names it. Not part of the test suite (fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${FUZZ_BUILD:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-120}

CXX=clang++ cmake -S . -B "$build" -G Ninja -DWACHE_FUZZ=ON \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build "$build" -j2 --target fuzz_staff_files fuzz_webhook_payload fuzz_message

# Seeds: the shipped flows, templates and config (first byte: 0 flow, 1 template, 2 config),
# the platforms' example payloads, the routing corpus's texts and some button taps.
corpus=$build/corpus
mkdir -p "$corpus"/{staff_files,webhook_payload,message} "$build/findings"
for f in flows/*.yaml; do { printf '\0'; cat "$f"; } >"$corpus/staff_files/flow-$(basename "$f")"; done
for f in templates/de/*.yaml; do { printf '\1'; cat "$f"; } >"$corpus/staff_files/de-$(basename "$f")"; done
{ printf '\2'; cat config/wache.yaml; } >"$corpus/staff_files/wache.yaml"
find tests/webhook/fixtures -name '*.json' ! -name '*.expect.json' | while read -r f; do
  cp "$f" "$corpus/webhook_payload/$(echo "$f" | tr / _)"
done
tail -n +2 tests/routing/corpus.tsv | cut -f4 | split -l 4 - "$corpus/message/corpus-"
# Button taps as the engine writes their payloads (w1|flow|step|choice), after a greeting.
printf 'Hallo\n\1w1|fallback|menu|applicant\n\1w1|fallback|menu|report\nTattoo?\n' \
  >"$corpus/message/taps"

status=0
run() {
  local name=$1
  # -timeout: a hang is a finding too; -rss_limit_mb: so is runaway memory.
  if ! "$build/fuzz/fuzz_$name" "$corpus/$name" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len=65536 -artifact_prefix="$build/findings/$name-" \
    -print_final_stats=1 >"$build/findings/$name.log" 2>&1; then
    echo "fuzz_$name: FINDING, see $build/findings/$name.log"
    return 1
  fi
  echo "fuzz_$name: $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/findings/$name.log" |
    grep -o '[0-9]*$') inputs in ${seconds} s, nothing found"
}
run staff_files & a=$!
run webhook_payload & b=$!
wait $a || status=1
wait $b || status=1
run message || status=1
exit $status
