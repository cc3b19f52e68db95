#!/usr/bin/env bash
# The benchmark of the webhook gateway (bench/README.md explains the figures).
#
#   bench/run.sh                      # about 6 minutes on 2 cores (after the build)
#   DURATION=30 PLATFORM=all bench/run.sh
#
# 1. wache serve with the four demo accounts against the fake platform API inside
#    wache_bench: warm-up, full load, half load (webhooks/s, replies/s, latencies, errors,
#    CPU per message, peak RSS), then the webhook intake alone;
# 2. the bare cpp-httplib ceiling, measured the same way, and the ratio;
# 3. wache serve with 120 accounts and 100,000 stored conversations: peak RSS;
# 4. wache check over 200 flow files (small local flows; copies of the shipped ones, derived
#    or only renamed): median;
# 5. for reference, minimal bots under the same load as section 1 (no framework, no storage):
#    the same bot on cpp-httplib (wache_bench_httplib_bot) and on Node.js (bench/node_bot.mjs,
#    if node is installed);
# 6. the Node.js chat-bot frameworks users would pick instead (bench/frameworks: Bottender on
#    Messenger, beside wache serve on Messenger; BuilderBot on WhatsApp), under the same
#    load, if npm is installed (`npm ci` fetches them once into bench/frameworks).
#
# Environment (defaults in brackets):
#   DURATION [10]  WARMUP [3]  seconds per measured phase / of warm-up
#   PLATFORM [whatsapp]        whatsapp | messenger | instagram | x | all (round robin)
#   CONNECTIONS [4]            keep-alive connections of the generator
#   BACKLOG [64]               full load: at most this many webhooks without a reply yet
#   INTAKE_SECONDS [5]         last phase: webhooks as fast as answered, replies not awaited
#   DRAIN [20]                 seconds to wait for late replies after a phase
#   SINK_DELAY_MS [0]          sections 1, 5 and 6: the fake platform API answers after this
#                              long (a real API's round trip; 0 measures the gateway alone)
#   BIG_ACCOUNTS [120]  BIG_CONVERSATIONS [100000]  BIG_SECONDS [5]
#   FLOW_FILES [200]  CHECK_RUNS [5] (3 when a run takes over 5 s)
#   GEN_CPUS [last CPU]        taskset -c list for the generator (and sink) while it measures
#                              wache; "" = not pinned. On 2 cores pinning gave wache 8-10%
#                              more replies/s (fewer migrations of the generator's threads)
#   BARE_GEN_CPUS [""]         the same for the ceiling, where the generator itself is the
#                              limit (pinned to one CPU it sent 17% fewer webhooks/s)
#   SERVER_CPUS [""]           taskset -c list for the servers
#   PERF [0]                   1: perf record (DWARF call graphs) of wache serve during the
#                              full-load phase of section 1; the top functions are printed
#   SECTIONS ["1 2 3 4 5 6"]   which of the sections below to run (A/B runs of one change:
#                              SECTIONS="1 2" takes about 1 minute)
#   BUILD_DIR [build]  SKIP_BUILD [0]  KEEP_TMP [0] (keep the temporary folder and logs)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
PLATFORM=${PLATFORM:-whatsapp}
CONNECTIONS=${CONNECTIONS:-4}
BACKLOG=${BACKLOG:-64}
INTAKE_SECONDS=${INTAKE_SECONDS:-5}
DRAIN=${DRAIN:-20}
SINK_DELAY_MS=${SINK_DELAY_MS:-0}
BIG_ACCOUNTS=${BIG_ACCOUNTS:-120}
BIG_CONVERSATIONS=${BIG_CONVERSATIONS:-100000}
BIG_SECONDS=${BIG_SECONDS:-5}
FLOW_FILES=${FLOW_FILES:-200}
CHECK_RUNS=${CHECK_RUNS:-5}
if (($(nproc) > 1)); then GEN_CPUS=${GEN_CPUS-$(($(nproc) - 1))}; else GEN_CPUS=${GEN_CPUS-}; fi
BARE_GEN_CPUS=${BARE_GEN_CPUS-}
SERVER_CPUS=${SERVER_CPUS:-}
BUILD_DIR=${BUILD_DIR:-build}
SKIP_BUILD=${SKIP_BUILD:-0}
KEEP_TMP=${KEEP_TMP:-0}
PERF=${PERF:-0}
SECTIONS=${SECTIONS:-1 2 3 4 5 6}
section() { [[ " $SECTIONS " == *" $1 "* ]]; }  # section N: is section N to run?

if [[ "$SKIP_BUILD" != 1 ]]; then
  if ! build_log=$(cmake --build "$BUILD_DIR" -j2 --target wache wache_bench wache_bench_bare \
    wache_bench_httplib_bot 2>&1); then
    echo "$build_log" | tail -30
    echo "run.sh: the build failed (SKIP_BUILD=1 runs the binaries already in $BUILD_DIR)" >&2
    exit 1
  fi
fi

TMP=$(mktemp -d /tmp/wache-bench.XXXXXX)
# Copies, so that a rebuild in the same build folder during the run cannot swap them.
mkdir "$TMP/bin"
cp "$BUILD_DIR/wache" "$BUILD_DIR/bench/wache_bench" "$BUILD_DIR/bench/wache_bench_bare" \
  "$BUILD_DIR/bench/wache_bench_httplib_bot" bench/node_bot.mjs bench/bot_answers.cjs \
  bench/bot_answers.json "$TMP/bin/"
WACHE=$TMP/bin/wache
BENCH=$TMP/bin/wache_bench
BARE=$TMP/bin/wache_bench_bare
# The same for the flows, templates and config the binaries were built with.
cp -r flows templates "$TMP/"
cp config/wache.yaml "$TMP/shipped.yaml"
CONFIG=$TMP/shipped.yaml
FLOWS=$TMP/flows
TEMPLATES=$TMP/templates
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ "$KEEP_TMP" == 1 ]]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

gen_cmd=()
[[ -n "$GEN_CPUS" ]] && gen_cmd=(taskset -c "$GEN_CPUS")
bare_gen_cmd=()
[[ -n "$BARE_GEN_CPUS" ]] && bare_gen_cmd=(taskset -c "$BARE_GEN_CPUS")
server_cmd=()
[[ -n "$SERVER_CPUS" ]] && server_cmd=(taskset -c "$SERVER_CPUS")

# Random webhook secrets for this run only, under the names config/wache.yaml reads.
random_hex() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
WACHE_META_APP_SECRET=$(random_hex)
WACHE_META_VERIFY_TOKEN=$(random_hex)
WACHE_X_CONSUMER_SECRET=$(random_hex)
export WACHE_META_APP_SECRET WACHE_META_VERIFY_TOKEN WACHE_X_CONSUMER_SECRET
# Every account gets a token, so replies go over HTTP to the fake platform API (an account
# without one would print to the console sink instead).
export WACHE_BENCH_TOKEN=bench-token
for var in $(grep -o 'env: WACHE_TOKEN_[A-Z0-9_]*' "$TMP/shipped.yaml" | cut -d' ' -f2 | sort -u); do
  export "$var=bench-token"
done

# A port nothing listens on, below the range the kernel hands out for outgoing connections
# (the generator leaves thousands of those in TIME_WAIT).
free_port() {
  local p low
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  while true; do
    p=$((10000 + RANDOM % (low - 10000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
}

# A top-level block of the config ("server", "accounts", ...), as it is there.
config_block() {
  awk -v key="$1" '
    $0 ~ "^" key ":" { on = 1; print; next }
    on && /^[a-z_]+:/ { on = 0 }
    on { print }' "$CONFIG"
}

# write_config FILE DB FLOWS ACCOUNTS_YAML: the shipped config with the run's flows,
# templates, database, platforms (env-only secrets, send policies) and accounts; every other
# top-level block (server, defaults, stations, ...) as shipped.
write_config() {
  {
    echo "# wache bench: generated by bench/run.sh from config/wache.yaml"
    echo "flows: $3"
    echo "templates: $TEMPLATES"
    echo "database: $2"
    echo
    for block in $(grep -oE '^[a-z_]+:' "$CONFIG" | tr -d ':'); do
      case $block in
        flows | templates | database | platforms | accounts) ;;
        *)
          config_block "$block"
          echo
          ;;
      esac
    done
    cat <<YAML
platforms:
  whatsapp:
    app_secret: { env: WACHE_META_APP_SECRET }
    verify_token: { env: WACHE_META_VERIFY_TOKEN }
    api_version: v23.0
    mark_read: true
    pacing: { messages: 3, seconds: 18 }
  messenger:
    app_secret: { env: WACHE_META_APP_SECRET }
    verify_token: { env: WACHE_META_VERIFY_TOKEN }
    api_version: v23.0
  instagram:
    app_secret: { env: WACHE_META_APP_SECRET }
    verify_token: { env: WACHE_META_VERIFY_TOKEN }
    api_version: v23.0
  x:
    consumer_secret: { env: WACHE_X_CONSUMER_SECRET }
    send_api: v2
    # X's real DM budget (15 per 15 min per account) would hold almost every reply of a
    # benchmark; budgets this large are still counted for every reply but never reached.
    dm_budget: [{ messages: 100000000, minutes: 15 }, { messages: 100000000, hours: 24 },
                { messages: 100000000, hours: 24, scope: app }]
    emergency_reserve: 3

YAML
    cat "$4"
  } >"$1"
}

# Targets of the shipped demo accounts: "platform id platform_id" per account.
config_block accounts >"$TMP/accounts4.yaml"
awk '
  /^  - id:/ { if (id != "") print platform, id, ref; id = $3; platform = ""; ref = "" }
  /^    platform:/ { platform = $2 }
  /^    platform_id:/ { ref = $2; gsub(/"/, "", ref) }
  END { if (id != "") print platform, id, ref }' "$TMP/accounts4.yaml" >"$TMP/targets4.all"
if [[ "$PLATFORM" == all ]]; then
  cp "$TMP/targets4.all" "$TMP/targets4"
else
  grep "^$PLATFORM " "$TMP/targets4.all" >"$TMP/targets4" || {
    echo "run.sh: no demo account for platform '$PLATFORM'" >&2
    exit 2
  }
fi
# The ceiling and the reference bots take WhatsApp webhooks only; Bottender takes Messenger.
grep '^whatsapp ' "$TMP/targets4.all" >"$TMP/targets_whatsapp"
grep '^messenger ' "$TMP/targets4.all" >"$TMP/targets_messenger"
write_config "$TMP/wache.yaml" "$TMP/wache.db" "$FLOWS" "$TMP/accounts4.yaml"

# start_server NAME COMMAND...: starts it in the background, waits until its port answers.
start_server() {
  local name=$1 port=$2
  shift 2
  "${server_cmd[@]}" "$@" >"$TMP/$name.out" 2>"$TMP/$name.log" &
  SERVER_PID=$!
  for _ in $(seq 1 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "run.sh: $name did not start:" >&2
      tail -5 "$TMP/$name.log" >&2
      exit 1
    fi
    sleep 0.05
  done
  echo "run.sh: $name does not listen on $port" >&2
  exit 1
}

stop_server() {  # stop_server [SIGNAL]
  kill "-${1:-TERM}" "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# The phases every bot gets (warm-up, full load, half load), from the generator, against the
# fake platform API on SINK_PORT, into $TMP/LABEL.txt. Extra generator options follow
# (section 1 adds --intake; the frameworks their routes and signature header).
load_phases() {  # load_phases LABEL PORT SINK_PORT TARGETS [generator options...]
  local label=$1 port=$2 sport=$3 targets=$4
  shift 4
  "${gen_cmd[@]}" "$BENCH" load --label "$label" --url "http://127.0.0.1:$port" \
    --targets "$targets" --sink-port "$sport" --server-pid "$SERVER_PID" \
    --connections "$CONNECTIONS" --warmup "$WARMUP" --duration "$DURATION" --drain "$DRAIN" \
    --backlog "$BACKLOG" --sink-delay-ms "$SINK_DELAY_MS" "$@" | tee "$TMP/$label.txt"
}

result() {  # result FILE PHASE FIELD: a field of a RESULT line of wache_bench ("" if none)
  [[ -f "$1" ]] || return 0
  awk -v p="phase=$2" -v f="$3" '
    /^RESULT / && index($0, p " ") { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == f) print kv[2] } }' "$1"
}

echo "wache bench: $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo '+local changes'), platform $PLATFORM, ${DURATION}s phases, $CONNECTIONS connections${GEN_CPUS:+, generator on CPU $GEN_CPUS}${BARE_GEN_CPUS:+ (ceiling: $BARE_GEN_CPUS)}${SERVER_CPUS:+, servers on CPUs $SERVER_CPUS}$( ((SINK_DELAY_MS > 0)) && echo ", the fake platform API answers after $SINK_DELAY_MS ms")"
echo "temporary files in $TMP ($(df -T "$TMP" | awk 'NR==2 {print $2}') file system; the inbox commit fsyncs)"
# Other work on the machine skews every figure below: say how busy it was just before.
read -r _ u1 n1 s1 i1 w1 _ </proc/stat
sleep 1
read -r _ u2 n2 s2 i2 w2 _ </proc/stat
busy=$(((u2 + n2 + s2 - u1 - n1 - s1) * 100 / (u2 + n2 + s2 + i2 + w2 - u1 - n1 - s1 - i1 - w1 + 1)))
echo "CPU busy before the run: ${busy}% of $(nproc) cores (load average $(cut -d' ' -f1-3 /proc/loadavg))"
if ((busy > 15)); then
  echo "WARNING: something else is using the CPU; the figures will be lower than this machine can do"
fi

# CPU time of the whole machine and of this script's finished children (the servers, the
# generator, wache check), in seconds; their difference over a section is what other
# processes took from the cores while it ran. Runs in this shell (not in $(...)), because
# a subshell's `times` starts from zero.
cpu_mark() {  # sets CPU_MARK="machine children"
  times >"$TMP/times"
  CPU_MARK="$(awk '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $7 + $8) / 100 }' /proc/stat) $(awk 'NR == 2 {
    split($1, u, "m"); split($2, s, "m"); printf "%.3f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$TMP/times")"
}
report_others() {  # after a section: what other processes used since the last cpu_mark
  local before=$CPU_MARK
  cpu_mark
  awk -v a="$before" -v b="$CPU_MARK" 'BEGIN {
    split(a, x, " "); split(b, y, " ")
    others = (y[1] - x[1]) - (y[2] - x[2])
    if (others < 0) others = 0
    note = ""
    if (others > 2) note = ": the figures above are low"
    printf "  (other processes used %.1f CPU-seconds during this section%s)\n", others, note }'
}

# 1. wache serve -----------------------------------------------------------------------------
# (The sections' bodies are not indented: their heredocs are literal.)
if section 1; then
WPORT=$(free_port)
SPORT=$(free_port)
start_server wache "$WPORT" "$WACHE" serve --config "$TMP/wache.yaml" --port "$WPORT" \
  --api-base-url "http://127.0.0.1:$SPORT"
echo
echo "### 1. wache serve (pid $SERVER_PID, port $WPORT; fake platform API on $SPORT)"
cpu_mark
if [[ "$PERF" == 1 ]]; then
  # The middle of the full-load phase: after the warm-up and its drain, before the half load.
  (
    sleep "$(awk -v w="$WARMUP" 'BEGIN { print w + 1.5 }')"
    perf record -q --call-graph dwarf,16384 -F 250 -p "$SERVER_PID" -o "$TMP/perf.data" \
      -- sleep "$(awk -v d="$DURATION" 'BEGIN { print (d > 4 ? d - 3 : 1) }')" >/dev/null 2>&1
  ) &
  PERF_PID=$!
fi
load_phases wache "$WPORT" "$SPORT" "$TMP/targets4" --intake "$INTAKE_SECONDS"
log_bytes=$(stat -c %s "$TMP/wache.log")
# KILL: the intake phase left a queue, and a clean stop would work on it for up to 10 s.
stop_server KILL
report_others
if [[ "$PERF" == 1 ]]; then
  wait "$PERF_PID" || true
  echo
  echo "  perf: wache serve during full load, self time (perf report -i $TMP/perf.data):"
  { perf report -i "$TMP/perf.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null |
    grep -E '^ +[0-9]' | head -25 | cut -c1-150; } || true
  echo "  perf: wache's own functions including what they call:"
  { perf report -i "$TMP/perf.data" --children --sort symbol --stdio -g none 2>/dev/null |
    grep -E '^ +[0-9]' | grep 'wache::' | grep -v 'std::' | head -25 | cut -c1-150; } || true
  echo "  (perf slows the server down: the figures of this run are lower than without PERF=1)"
fi
sent_total=$(awk '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "sent") s += kv[2] } } END { print s + 0 }' "$TMP/wache.txt")
fi

# 2. the bare ceiling ------------------------------------------------------------------------
if section 2; then
BPORT=$(free_port)
start_server bare "$BPORT" "$BARE" "$BPORT"
echo
echo "### 2. bare cpp-httplib ceiling (pid $SERVER_PID, port $BPORT): 200 to POST /webhook/whatsapp"
cpu_mark
"${bare_gen_cmd[@]}" "$BENCH" load --label bare --no-replies --url "http://127.0.0.1:$BPORT" \
  --targets "$TMP/targets_whatsapp" --server-pid "$SERVER_PID" --connections "$CONNECTIONS" \
  --warmup "$WARMUP" --duration "$DURATION" | tee "$TMP/bare.txt"
stop_server
report_others
fi

# 3. 120 accounts, 100,000 stored conversations ----------------------------------------------
if section 3; then
echo
echo "### 3. wache serve with $BIG_ACCOUNTS accounts and $BIG_CONVERSATIONS stored conversations"
: >"$TMP/accounts_big.yaml"
: >"$TMP/targets_big"
echo "accounts:" >>"$TMP/accounts_big.yaml"
platforms=(whatsapp messenger instagram x)
# Accounts belong to the shipped stations in turn, if the config has any.
mapfile -t stations < <(config_block stations | awk '/^  [A-Za-z0-9_.-]+:[[:space:]]*$/ { sub(":", "", $1); print $1 }')
for i in $(seq 1 "$BIG_ACCOUNTS"); do
  p=${platforms[$(((i - 1) % 4))]}
  case $p in
    whatsapp) ref=$((100000000000000 + i)) ;;
    messenger) ref=$((200000000000000 + i)) ;;
    instagram) ref=$((17841400000000000 + i)) ;;
    x) ref=$((1400000000000000000 + i)) ;;
  esac
  cat >>"$TMP/accounts_big.yaml" <<YAML
  - id: bench-$p-$i
    name: "Benchmark account $i ($p)"
    platform: $p
    platform_id: "$ref"
    credentials:
      access_token: { env: WACHE_BENCH_TOKEN }
    variables:
      station_name: "Polizeipräsidium $i"
YAML
  if ((${#stations[@]} > 0)); then
    echo "    station: ${stations[$(((i - 1) % ${#stations[@]}))]}" >>"$TMP/accounts_big.yaml"
  fi
  echo "$p bench-$p-$i $ref" >>"$TMP/targets_big"
done
write_config "$TMP/wache_big.yaml" "$TMP/big.db" "$FLOWS" "$TMP/accounts_big.yaml"
BIG_PREFIX=4930$((1000 + RANDOM % 9000))
"$BENCH" prefill --db "$TMP/big.db" --targets "$TMP/targets_big" \
  --conversations "$BIG_CONVERSATIONS" --sender-prefix "$BIG_PREFIX"
echo "  (conversation_state rows: $(sqlite3 "$TMP/big.db" 'SELECT count(*) FROM conversation_state' 2>/dev/null || echo '?'), database $(du -k "$TMP/big.db" | cut -f1) KiB)"
WPORT=$(free_port)
SPORT=$(free_port)
start_server wache_big "$WPORT" "$WACHE" serve --config "$TMP/wache_big.yaml" --port "$WPORT" \
  --api-base-url "http://127.0.0.1:$SPORT"
sleep 0.5
idle_hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
cpu_mark
echo "  after start, idle: peak RSS (VmHWM) $((idle_hwm / 1024)) MB"
# The generator's message i writes as sender BIG_PREFIX+i to account i % BIG_ACCOUNTS, i.e.
# to a stored conversation while i < BIG_CONVERSATIONS.
"${gen_cmd[@]}" "$BENCH" load --label "wache-${BIG_ACCOUNTS}-accounts" \
  --url "http://127.0.0.1:$WPORT" --targets "$TMP/targets_big" --sink-port "$SPORT" \
  --server-pid "$SERVER_PID" --connections "$CONNECTIONS" --warmup 0 --duration "$BIG_SECONDS" \
  --no-half --backlog "$BACKLOG" --drain "$DRAIN" --sender-prefix "$BIG_PREFIX" --first-index 0 |
  tee "$TMP/big.txt"
big_hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
stop_server
report_others
fi

# 4. wache check over many flow files --------------------------------------------------------
if section 4; then
echo
echo "### 4. wache check over $FLOW_FILES flow files"
time_check() {  # time_check FLOWS_DIR: median ms; the last run's output stays in $TMP/check.out
  local times=() t0 t1 ms
  for run in $(seq 1 "$CHECK_RUNS"); do
    t0=$(date +%s%N)
    "$WACHE" check --config "$TMP/wache.yaml" --flows "$1" >"$TMP/check.out" 2>&1 || true
    t1=$(date +%s%N)
    ms=$(((t1 - t0) / 1000000))
    times+=("$ms")
    if ((run >= 3 && ms > 5000)); then break; fi
  done
  printf '%s\n' "${times[@]}" | sort -n |
    awk '{ a[NR] = $1 } END { printf "%d ms (%d runs, min %d, max %d)", a[int((NR + 1) / 2)], NR, a[1], a[NR] }'
}
"$BENCH" gen-flows --from "$FLOWS" --to "$TMP/flows_all" --count "$FLOW_FILES"
"$BENCH" gen-flows --from "$FLOWS" --to "$TMP/flows_plain" --count "$FLOW_FILES" \
  --no-interrupt-copies >/dev/null
# The third set: what a force with many stations writes most, small local flows (one
# trigger with five keywords of its own, one step), next to the shipped flows.
small_flows() {  # small_flows DIR
  mkdir -p "$1"
  cp "$FLOWS"/*.yaml "$1"/
  local words=(fahrrad parken laerm nachbar hund feuerwerk demo verkehr blitzer fundsache
    ausweis unfall baustelle sperrung konzert fussball stadion markt fest umzug)
  local shipped n i
  shipped=$(ls "$FLOWS"/*.yaml | wc -l)
  n=$((FLOW_FILES - shipped))
  for ((i = 0; i < n; i++)); do
    cat >"$1/local_$i.yaml" <<FLOW
# A local topic of one area (generated by bench/run.sh).
flow: local_$i
description: Local questions, set $i.
when:
  keywords:
    de: [${words[i % 20]} ort$i, ${words[(i + 7) % 20]} ort$i, "${words[(i + 13) % 20]} in ort$i"]
    en: [${words[i % 20]}$i, event$i]
steps:
  - say: thanks.reply
    end: true
FLOW
  done
}
small_flows "$TMP/flows_small"
# The fourth set: the simplest copies anyone would make of the shipped flows, each file but
# the fallback copied in turn with only its flow name changed, so that every copy's keywords
# repeat the original's (tens of thousands of warnings: each "also triggers" another flow).
renamed_copies() {  # renamed_copies DIR
  mkdir -p "$1"
  cp "$FLOWS"/*.yaml "$1"/
  local sources=() f name i n
  for f in "$FLOWS"/*.yaml; do
    [[ $(basename "$f") == fallback.yaml ]] || sources+=("$f")
  done
  n=$((FLOW_FILES - ${#sources[@]} - 1))
  for ((i = 0; i < n; i++)); do
    f=${sources[i % ${#sources[@]}]}
    name="$(basename "$f" .yaml)_c$i"
    sed "s/^flow: .*/flow: $name/" "$f" >"$1/$name.yaml"
  done
}
renamed_copies "$TMP/flows_renamed"
cpu_mark
shipped_ms=$(time_check "$FLOWS")
echo "  shipped flows ($(ls "$FLOWS"/*.yaml | wc -l) files): median $shipped_ms; $(tail -1 "$TMP/check.out")"
small_ms=$(time_check "$TMP/flows_small")
echo "  $FLOW_FILES files, the shipped ones and small local flows: median $small_ms; $(tail -1 "$TMP/check.out")"
plain_ms=$(time_check "$TMP/flows_plain")
echo "  $FLOW_FILES files, copies of the non-interrupt flows only: median $plain_ms; $(tail -1 "$TMP/check.out")"
all_ms=$(time_check "$TMP/flows_all")
echo "  $FLOW_FILES files, copies of every flow but the fallback: median $all_ms; $(tail -1 "$TMP/check.out")"
renamed_ms=$(time_check "$TMP/flows_renamed")
echo "  $FLOW_FILES files, copies of every flow but the fallback, only renamed: median $renamed_ms; $(tail -1 "$TMP/check.out")"
report_others
fi

# 5. minimal bots, for reference --------------------------------------------------------------
if section 5; then
echo
HPORT=$(free_port)
HSPORT=$(free_port)
start_server httplib_bot "$HPORT" "$TMP/bin/wache_bench_httplib_bot" "$HPORT" \
  "http://127.0.0.1:$HSPORT" "$TMP/bin/bot_answers.json"
echo "### 5a. a minimal bot on cpp-httplib (pid $SERVER_PID, port $HPORT): signature, JSON, keyword answer, reply and mark-read from 8 sender threads; nothing stored"
cpu_mark
load_phases httplib_bot "$HPORT" "$HSPORT" "$TMP/targets_whatsapp"
stop_server
report_others
echo
if ! command -v node >/dev/null; then
  echo "### 5b. a minimal Node.js bot: skipped (node is not installed)"
else
NPORT=$(free_port)
NSPORT=$(free_port)
start_server node "$NPORT" node "$TMP/bin/node_bot.mjs" "$NPORT" "http://127.0.0.1:$NSPORT"
echo "### 5b. a minimal Node.js bot (pid $SERVER_PID, port $NPORT; $(node --version)): signature, JSON, keyword answer, reply and mark-read; nothing stored"
cpu_mark
load_phases node "$NPORT" "$NSPORT" "$TMP/targets_whatsapp"
stop_server
report_others
fi
fi

# 6. the Node.js chat-bot frameworks users would pick instead ---------------------------------
# Each framework under the same load as section 1, by the same generator and fake platform
# API, with its own routes and signature header. Bottender has no WhatsApp Cloud API channel,
# so it is measured on Messenger, beside wache serve on Messenger in this section.
if section 6; then
echo
if ! command -v npm >/dev/null; then
  echo "### 6. Node.js chat-bot frameworks: skipped (npm is not installed)"
else
FW=$ROOT/bench/frameworks
# Fetched once, at the versions package-lock.json pins. --ignore-scripts: Bottender's ngrok
# dependency downloads a binary when installed, which nothing here uses.
if [[ ! -f "$FW/node_modules/.package-lock.json" || "$FW/package-lock.json" -nt "$FW/node_modules/.package-lock.json" ]]; then
  echo "### 6. installing the frameworks (npm ci in bench/frameworks)"
  if ! (cd "$FW" && npm ci --ignore-scripts --no-audit --no-fund >"$TMP/npm.log" 2>&1); then
    tail -5 "$TMP/npm.log"
    echo "run.sh: npm ci failed in bench/frameworks (the npm registry must be reachable once)" >&2
    exit 1
  fi
fi
page_id=$(awk '{print $3; exit}' "$TMP/targets_messenger")
phone_id=$(awk '{print $3; exit}' "$TMP/targets_whatsapp")

rm -f "$TMP/wache.db" "$TMP/wache.db-wal" "$TMP/wache.db-shm"
WPORT=$(free_port)
SPORT=$(free_port)
start_server wache_messenger "$WPORT" "$WACHE" serve --config "$TMP/wache.yaml" --port "$WPORT" \
  --api-base-url "http://127.0.0.1:$SPORT"
echo "### 6a. wache serve on Messenger (pid $SERVER_PID, a fresh database): as in section 1"
cpu_mark
load_phases wache_messenger "$WPORT" "$SPORT" "$TMP/targets_messenger"
stop_server
report_others

BTPORT=$(free_port)
BTSPORT=$(free_port)
start_server bottender "$BTPORT" env -C "$FW/bottender" NODE_ENV=production \
  BENCH_API_BASE_URL="http://127.0.0.1:$BTSPORT" BENCH_PAGE_ID="$page_id" node server.js "$BTPORT"
echo
echo "### 6b. Bottender $(node -p 'require(process.argv[1]).version' "$FW/node_modules/bottender/package.json") on Messenger (pid $SERVER_PID; $(node --version)): X-Hub-Signature (SHA-1), sessions in memory, reply; nothing stored"
cpu_mark
load_phases bottender "$BTPORT" "$BTSPORT" "$TMP/targets_messenger" \
  --webhook-path /webhooks/messenger --meta-sha1
stop_server
report_others

BBPORT=$(free_port)
BBSPORT=$(free_port)
# In the temporary folder: BuilderBot writes its logs (core.class.log...) to its working folder.
start_server builderbot "$BBPORT" env -C "$TMP" BENCH_PHONE_NUMBER_ID="$phone_id" \
  node "$FW/builderbot/bot.cjs" "$BBPORT" "http://127.0.0.1:$BBSPORT"
echo
echo "### 6c. BuilderBot $(node -p 'require(process.argv[1]).version' "$FW/node_modules/@builderbot/bot/package.json") with its Meta provider on WhatsApp (pid $SERVER_PID): no signature check, a send queue of one call per 100 ms, MemoryDB; nothing stored"
cpu_mark
load_phases builderbot "$BBPORT" "$BBSPORT" "$TMP/targets_whatsapp" --webhook-path /webhook
stop_server
report_others
fi
fi

# Summary ------------------------------------------------------------------------------------
w_acc=$(result "$TMP/wache.txt" full accepted_per_s)
w_rep=$(result "$TMP/wache.txt" full replies_per_s)
w_int=$(result "$TMP/wache.txt" intake accepted_per_s)
b_acc=$(result "$TMP/bare.txt" full accepted_per_s)
echo
echo "### Summary"
if section 1; then
  printf '  wache, full load: %s webhooks/s accepted, %s replies/s end to end; intake alone %s webhooks/s\n' \
    "$w_acc" "$w_rep" "$w_int"
fi
if section 2; then printf '  bare cpp-httplib ceiling: %s webhooks/s\n' "$b_acc"; fi
awk -v r="$w_rep" -v i="$w_int" -v b="$b_acc" 'BEGIN {
  if (b > 0 && r > 0) printf "  ratio replies/s / ceiling = %.3f   (intake / ceiling = %.3f)\n", r / b, i / b }'
h_rep=$(result "$TMP/httplib_bot.txt" full replies_per_s)
if [[ -n "$h_rep" ]]; then
  awk -v r="$w_rep" -v h="$h_rep" -v b="$b_acc" \
    -v c="$(result "$TMP/httplib_bot.txt" full server_cpu_ms_per_msg)" 'BEGIN {
    printf "  minimal cpp-httplib bot (nothing stored): %s replies/s, %s ms CPU per message", h, c
    if (b > 0) printf "; ÷ ceiling = %.3f", h / b
    if (r > 0) printf "; wache / it = %.2f", r / h
    printf "\n" }'
fi
n_rep=$(result "$TMP/node.txt" full replies_per_s)
if [[ -n "$n_rep" ]]; then
  awk -v r="$w_rep" -v n="$n_rep" -v c="$(result "$TMP/node.txt" full server_cpu_ms_per_msg)" 'BEGIN {
    printf "  minimal Node.js bot (nothing stored): %s replies/s, %s ms CPU per message", n, c
    if (r > 0) printf "; wache / node = %.2f", r / n
    printf "\n" }'
fi
if section 6 && [[ -f "$TMP/bottender.txt" ]]; then
  fw_line() {  # fw_line LABEL NAME: replies/s, CPU and RSS of one run of section 6
    awk -v name="$2" -v r="$(result "$TMP/$1.txt" full replies_per_s)" \
      -v c="$(result "$TMP/$1.txt" full server_cpu_ms_per_msg)" \
      -v m="$(result "$TMP/$1.txt" half server_vmhwm_kb)" \
      -v p="$(result "$TMP/$1.txt" half e2e_p99_ms)" 'BEGIN {
      printf "    %-28s %9s replies/s, %s ms CPU per message, reply p99 at half load %s ms, peak RSS %d MB\n",
        name, r, c, p, m / 1024 }'
  }
  echo "  Node.js chat-bot frameworks, same load (section 6):"
  fw_line wache_messenger "wache, Messenger"
  fw_line bottender "Bottender, Messenger"
  if section 1; then fw_line wache "wache, section 1 ($PLATFORM)"; fi
  fw_line builderbot "BuilderBot, WhatsApp"
fi
if section 3; then
  echo "  peak RSS with $BIG_ACCOUNTS accounts + $BIG_CONVERSATIONS conversations: $((idle_hwm / 1024)) MB idle after start, $((big_hwm / 1024)) MB after ${BIG_SECONDS} s of full load"
fi
if section 4; then
  echo "  wache check, $FLOW_FILES flow files: median $small_ms (small local flows), $plain_ms (non-interrupt copies), $all_ms (copies of all), $renamed_ms (renamed copies of all)"
fi
if section 1; then echo "  server log: $((log_bytes / 1024)) KiB for $sent_total webhooks in section 1"; fi
