#!/usr/bin/env bash
# SMTP intake benchmark: messages/second for smtp-sink (upper bound), stock Apache James 3.8.1 (same
# SMTP-only modules, GHOST-only pipeline) and Trapline's MX, at 1, 10 and 20 concurrent sessions with
# 2 KB and 20 KB messages; prints the ratio Trapline / stock James. Load: Postfix's smtp-source, one
# connection per message.
#
# Method. Both JVMs run side by side (an idle one takes no CPU) so that their bursts can be interleaved:
# each cell is REPEAT rounds of one burst of MESSAGES into stock James, then one into Trapline, and the
# table shows the median of each and the ratio of the medians, with the lowest and highest ratio of a
# round, so a load change on the machine hits both servers alike. For Trapline every burst waits until
# the pipeline has stored every hit before anything else runs, and that time is printed too (end to end,
# hits/s). The servers are compared warm: each JVM first gets bursts of 5,000 messages (2 KB and 20 KB
# in turn) until its JIT compilers have settled (two bursts in a row in which they used under 5 % of
# the process's CPU; at least MIN_WARMUP messages, at most 40 bursts). Trapline has much more code on
# the path of a message than stock James and takes longer to get there; the warm-up of each is printed.
# Usage: bench/smtp/run.sh [MESSAGES] [MIN_WARMUP] [REPEAT]   (root: fetches Debian's postfix package for the tools)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$ROOT/bench/smtp/.work"
COUNT="${1:-8000}"
MIN_WARMUP="${2:-20000}"
REPEAT="${3:-3}"
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

# stored_hits LOG FROM -> hits the pipeline has logged as stored in LOG past byte FROM. A count of the
# "stored as #N" lines, not the highest N: hit ids are reserved at intake, a block at a time.
stored_hits() { tail -c +"$(($2 + 1))" "$1" | grep -c 'stored as #' || true; }
declare -A PORT_OF PID_OF WARMED
# await_stored NAME FROM COUNT: for Trapline, waits until the COUNT messages of the burst that began when
# its log was FROM bytes long are stored as hits (each burst waits for its own, so none is left over)
await_stored() {
  [[ $1 == trapline ]] || return 0
  local deadline=$((SECONDS + 600))
  while [[ "$(stored_hits "$TRAPLINE_LOG" "$2")" -lt $3 ]]; do
    if (( SECONDS > deadline )); then echo "only $(stored_hits "$TRAPLINE_LOG" "$2") of $3 stored after 10 min" >&2; return 1; fi
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

# burst NAME SESSIONS SIZE COUNT: sets INTAKE (250s/s) and E2E (all stored, hits/s)
burst() {
  local start end from=0
  [[ $1 != trapline ]] || from=$(stat -c %s "$TRAPLINE_LOG")
  start=$(date +%s.%N)
  INTAKE=$(rate "${PORT_OF[$1]}" "$2" "$3" "$4")
  await_stored "$1" "$from" "$4"; end=$(date +%s.%N)
  E2E=$(python3 -c "print(round($4/($end-$start)))")
}

# warm NAME: bursts of 5,000 (under Trapline's smtp.max-backlog) until the JIT has settled, the same rule for all
warm() {
  local warmed=0 settled=0 pid=${PID_OF[$1]:-} cpu0 jit0 cpu1 jit1
  while (( warmed < 200000 )); do
    if [[ -n $pid ]]; then cpu0=$(cpu_of "$pid"); jit0=$(cpu_of "$pid" "C1 Compiler|C2 Compiler"); fi
    burst "$1" 20 $(( warmed / 5000 % 2 ? 20480 : 2048 )) 5000
    warmed=$((warmed + 5000))
    [[ -n $pid ]] || break # smtp-sink: no JIT
    cpu1=$(cpu_of "$pid"); jit1=$(cpu_of "$pid" "C1 Compiler|C2 Compiler")
    if python3 -c "import sys; sys.exit(0 if ($jit1-$jit0) < 0.05*($cpu1-$cpu0) else 1)"; then settled=$((settled + 1)); else settled=0; fi
    (( settled >= 2 && warmed >= MIN_WARMUP )) && break
  done
  WARMED[$1]=$warmed
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
PORT_OF[sink]=$(free_port)
if [[ $(id -u) -eq 0 ]]; then SINK_USER=(-u nobody); else SINK_USER=(); fi
"$SINK" "${SINK_USER[@]}" -c "127.0.0.1:${PORT_OF[sink]}" 256 >/dev/null & SINK_PID=$!; PIDS+=($SINK_PID)

PORT_OF[james]=$(free_port)
java -cp "$CP" org.trapline.server.bench.StockJames "$ROOT/bench/smtp/stock-conf" "$WORK/stock" "${PORT_OF[james]}" >"$WORK/stock.log" 2>&1 &
PID_OF[james]=$!; PIDS+=(${PID_OF[james]})

PORT_OF[trapline]=$(free_port)
rm -rf "$WORK/trapline-data"
# The server logs to its data directory (log.file), as a service does; its output holds one line.
TRAPLINE_LOG="$WORK/trapline-data/log/trapline.log"
java -cp "$CP" org.trapline.server.Main run --conf "$ROOT/conf" --data "$WORK/trapline-data" --smtp-bind "127.0.0.1:${PORT_OF[trapline]}" \
    >"$WORK/trapline.out" 2>&1 &
PID_OF[trapline]=$!; PIDS+=(${PID_OF[trapline]})

for name in sink james trapline; do wait_port "${PORT_OF[$name]}"; warm "$name"; done

declare -A R
for s in 1 10 20; do for size in 2048 20480; do
  burst sink "$s" "$size" "$COUNT"; R[sink,$s,$size]=$INTAKE
  for round in $(seq 1 "$REPEAT"); do
    burst james "$s" "$size" "$COUNT"; R[james,$s,$size,$round]=$INTAKE
    burst trapline "$s" "$size" "$COUNT"; R[trapline,$s,$size,$round]=$INTAKE; R[e2e,$s,$size,$round]=$E2E
  done
done; done

printf '%-9s %-7s %10s %12s %10s %7s %13s %22s\n' sessions size smtp-sink stock-James Trapline ratio "ratio-range" "Trapline-all-stored/s"
for s in 1 10 20; do for size in 2048 20480; do
  j=() t=() e=()
  for round in $(seq 1 "$REPEAT"); do j+=("${R[james,$s,$size,$round]}"); t+=("${R[trapline,$s,$size,$round]}"); e+=("${R[e2e,$s,$size,$round]}"); done
  python3 - "$s" "$((size / 1024))" "${R[sink,$s,$size]}" "${j[*]}" "${t[*]}" "${e[*]}" <<'PY'
import statistics, sys
s, kb, sink = sys.argv[1:4]
j, t, e = ([float(x) for x in a.split()] for a in sys.argv[4:7])
ratios = [b / a for a, b in zip(j, t)]
print(f"{s:<9} {kb + ' KB':<7} {sink:>10} {statistics.median(j):>12.0f} {statistics.median(t):>10.0f} "
      f"{statistics.median(t) / statistics.median(j):>7.2f} {min(ratios):>6.2f}-{max(ratios):<6.2f} {statistics.median(e):>22.0f}")
PY
done; done
echo "messages per burst: $COUNT, rounds per cell: $REPEAT (medians); warm-up until the JIT settled: stock James ${WARMED[james]}, Trapline ${WARMED[trapline]} messages"
echo "machine: $(nproc) cores; load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')"
