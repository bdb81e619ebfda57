#!/usr/bin/env bash
# SMTP intake benchmark: messages/second for smtp-sink (upper bound), stock Apache James 3.8.1 (same
# SMTP-only modules, GHOST-only pipeline) and Trapline's MX, at 1, 10 and 20 concurrent sessions with
# 2 KB and 20 KB messages; prints the ratio Trapline / stock James. Load: Postfix's smtp-source.
# Each cell is a burst of MESSAGES into an idle server: for Trapline the script waits until the pipeline
# has stored every hit before the next cell, and prints that time too (end to end, hits/s).
# Servers are compared warm: each JVM first gets bursts of 5,000 messages (2 KB and 20 KB in turn) until its JIT compilers have
# settled (two bursts in a row in which they used under 5 % of the process's CPU; at least MIN_WARMUP
# messages, at most 40 bursts). Trapline has much more code on the path of a message than stock James
# and takes longer to get there; the warm-up each server needed is printed.
# Usage: bench/smtp/run.sh [MESSAGES_PER_RUN] [MIN_WARMUP]   (root: fetches Debian's postfix package for the tools)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$ROOT/bench/smtp/.work"
COUNT="${1:-4000}"
MIN_WARMUP="${2:-20000}"
mkdir -p "$WORK"

if [[ ! -x "$WORK/postfix/usr/sbin/smtp-source" ]]; then
  (cd "$WORK" && apt-get download postfix >/dev/null 2>&1 && dpkg -x postfix_*.deb postfix)
fi
export LD_LIBRARY_PATH="$WORK/postfix/usr/lib/postfix"
SOURCE="$WORK/postfix/usr/sbin/smtp-source"
SINK="$WORK/postfix/usr/sbin/smtp-sink"

(cd "$ROOT" && mvn -q -B -Dstyle.color=never -DskipTests -pl server -am test-compile dependency:build-classpath \
   -Dmdep.outputFile=target/test-classpath.txt >/dev/null)
CP="$ROOT/server/target/test-classes:$ROOT/server/target/classes:$(cat "$ROOT/server/target/test-classpath.txt")"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 600); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }

# rate PORT SESSIONS SIZE COUNT -> messages per second
rate() {
  local start end
  start=$(date +%s.%N)
  "$SOURCE" -s "$2" -m "$4" -l "$3" -f load@bench.example -t trap@trap.example.net "127.0.0.1:$1" >/dev/null 2>"$WORK/source.err" || true
  end=$(date +%s.%N)
  if [[ -s "$WORK/source.err" ]]; then echo "smtp-source reported: $(head -3 "$WORK/source.err")" >&2; fi
  python3 -c "print(round($4/($end-$start)))"
}

declare -A R
# stored_hits LOG -> highest hit number the pipeline has logged as stored (0 before the first)
stored_hits() { { grep -o 'stored as #[0-9]*' "$1" || true; } | tr -dc '0-9\n' | sort -n | tail -1 | sed 's/^$/0/'; }
SENT=0
# await_stored NAME: for Trapline, waits until every message sent so far is stored as a hit
await_stored() {
  [[ $1 == trapline ]] || return 0
  local deadline=$((SECONDS + 600))
  while [[ "$(stored_hits "$WORK/trapline.log")" -lt $SENT ]]; do
    if (( SECONDS > deadline )); then echo "only $(stored_hits "$WORK/trapline.log") of $SENT stored after 10 min" >&2; return 1; fi
    sleep 0.05
  done
}
# cpu_of PID [PREFIXES]: CPU seconds used so far by the process, or by its threads whose name starts with one
# of the |-separated prefixes
cpu_of() {
  python3 - "$1" "${2:-}" <<'PY'
import os, sys
pid, prefixes = sys.argv[1], tuple(sys.argv[2].split("|"))
total = 0
for tid in os.listdir(f"/proc/{pid}/task"):
    try:
        stat = open(f"/proc/{pid}/task/{tid}/stat").read()
    except OSError:
        continue
    name = stat[stat.index("(") + 1:stat.rindex(")")]
    fields = stat[stat.rindex(")") + 2:].split()
    if name.startswith(prefixes):
        total += int(fields[11]) + int(fields[12])
print(total / os.sysconf("SC_CLK_TCK"))
PY
}
declare -A WARMED
measure() { # NAME PORT [PID]
  SENT=0
  # Warm-up in bursts of 5,000 (under Trapline's smtp.max-backlog), 2 KB and 20 KB in turn, the same rule
  # for every server.
  local warmed=0 settled=0
  while (( warmed < 200000 )); do
    local cpu0 jit0 cpu1 jit1
    if [[ -n ${3:-} ]]; then cpu0=$(cpu_of "$3"); jit0=$(cpu_of "$3" "C1 Compiler|C2 Compiler"); fi
    rate "$2" 20 $(( warmed / 5000 % 2 ? 20480 : 2048 )) 5000 >/dev/null
    warmed=$((warmed + 5000)); SENT=$((SENT + 5000)); await_stored "$1"
    [[ -n ${3:-} ]] || break # smtp-sink: no JIT
    cpu1=$(cpu_of "$3"); jit1=$(cpu_of "$3" "C1 Compiler|C2 Compiler")
    if python3 -c "import sys; sys.exit(0 if ($jit1-$jit0) < 0.05*($cpu1-$cpu0) else 1)"; then settled=$((settled + 1)); else settled=0; fi
    (( settled >= 2 && warmed >= MIN_WARMUP )) && break
  done
  WARMED[$1]=$warmed
  for s in 1 10 20; do for size in 2048 20480; do
    local start end
    start=$(date +%s.%N)
    R[$1,$s,$size]=$(rate "$2" "$s" "$size" "$COUNT")
    SENT=$((SENT + COUNT)); await_stored "$1"; end=$(date +%s.%N)
    R[$1,$s,$size,e2e]=$(python3 -c "print(round($COUNT/($end-$start)))")
  done; done
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
PORT=$(free_port)
if [[ $(id -u) -eq 0 ]]; then SINK_USER=(-u nobody); else SINK_USER=(); fi
"$SINK" "${SINK_USER[@]}" -c "127.0.0.1:$PORT" 256 >/dev/null & SINK_PID=$!; PIDS+=($SINK_PID)
wait_port "$PORT"; measure sink "$PORT"; kill $SINK_PID; wait $SINK_PID 2>/dev/null || true

PORT=$(free_port)
java -cp "$CP" org.trapline.server.bench.StockJames "$ROOT/bench/smtp/stock-conf" "$WORK/stock" "$PORT" >"$WORK/stock.log" 2>&1 & PID=$!; PIDS+=($PID)
wait_port "$PORT"; measure james "$PORT" "$PID"; kill $PID; wait $PID 2>/dev/null || true

PORT=$(free_port)
rm -rf "$WORK/trapline-data"
java -cp "$CP" org.trapline.server.Main run --conf "$ROOT/conf" --data "$WORK/trapline-data" --smtp-bind "127.0.0.1:$PORT" >"$WORK/trapline.log" 2>&1 & PID=$!; PIDS+=($PID)
wait_port "$PORT"; measure trapline "$PORT" "$PID"; kill $PID; wait $PID 2>/dev/null || true

printf '%-9s %-7s %10s %12s %10s %8s %22s\n' sessions size smtp-sink stock-James Trapline ratio "Trapline-all-stored/s"
for s in 1 10 20; do for size in 2048 20480; do
  printf '%-9s %-7s %10s %12s %10s %8s %22s\n' "$s" "$((size/1024)) KB" "${R[sink,$s,$size]}" "${R[james,$s,$size]}" \
    "${R[trapline,$s,$size]}" "$(python3 -c "print(round(${R[trapline,$s,$size]}/${R[james,$s,$size]},2))")" "${R[trapline,$s,$size,e2e]}"
done; done
echo "messages per run: $COUNT; warm-up until the JIT settled: stock James ${WARMED[james]}, Trapline ${WARMED[trapline]} messages; machine: $(nproc) cores; load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%d)"
