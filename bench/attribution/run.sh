#!/usr/bin/env bash
# Runs the attribution benchmarks: bench/attribution/run.sh [ingest|lookup|detail|all] [options]
#   ingest  [--packets N] [--seconds S] [--no-freeradius] [--fsync] [--apply-share P] [--receive-threads N]
#           durable RADIUS ingest (answered and applied to H2) vs FreeRADIUS 3.2 detail
#   ingest --apply-only [--packets N] [--apply-batch B]      the journal applier alone, records/s into H2
#   lookup  [--sessions N] [--lookups N]                     (ip, instant) lookup latency on an H2 store of N sessions
#   detail  [--records N] [--interims K] [--repeat N] [--file PATH]     FreeRADIUS detail file import rate, in-process
#           and by bin/trapline import-detail in a fresh process
# Builds the attribution module (no install), compiles the benchmark sources against it, runs them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$here/target"
mkdir -p "$out/classes"
(cd "$repo" && mvn -B -q -pl attribution -am compile dependency:build-classpath \
    -Dmdep.outputFile="$out/classpath.txt" -Dmdep.includeScope=test >/dev/null)
cp="$repo/attribution/target/classes:$(cat "$out/classpath.txt")"
javac -nowarn -d "$out/classes" -cp "$cp" $(find "$here/src" -name '*.java')
what="${1:-all}"
[ $# -gt 0 ] && shift
run() { java -Xmx4g ${JAVA_OPTS:-} -cp "$out/classes:$cp" -Dlogback.configurationFile="$here/logback-bench.xml" "$@"; }
# detail [options]: the in-process benchmark, then the same generated file imported by the real command,
# bin/trapline import-detail, in a fresh process with the shipped conf/ and a fresh data directory: the
# rate a user gets. Both run with the JVM options bin/trapline gives import-detail (no -Xmx of their own).
detail() {
  local file i args=("$@")
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  file="$work/detail-20251123"
  for ((i = 0; i < ${#args[@]}; i++)); do [ "${args[$i]}" = --file ] && file="${args[$((i + 1))]}"; done
  [[ " $* " == *" --file "* ]] || set -- "$@" --file "$file"
  source "$repo/bin/java-options.sh"
  java $(trapline_java_options "$repo/conf" import-detail) ${JAVA_OPTS:-} -cp "$out/classes:$cp" \
    -Dlogback.configurationFile="$here/logback-bench.xml" org.trapline.attribution.bench.DetailImportBenchmark "$@"
  "$repo/bin/trapline" --help >/dev/null # builds the command first if needed, outside the timing
  mkdir -m 700 "$work/cli-data" # import-detail reads into a data directory, it never creates one
  /usr/bin/time -f 'bin/trapline import-detail, whole command: %e s wall, %U s user + %S s system CPU' \
    "$repo/bin/trapline" import-detail --quiet --zone UTC --data "$work/cli-data" "$file"
}
case "$what" in
  ingest) run org.trapline.attribution.bench.IngestBenchmark "$@" ;;
  lookup) run org.trapline.attribution.bench.LookupBenchmark "$@" ;;
  detail) detail "$@" ;;
  all)
    run org.trapline.attribution.bench.IngestBenchmark
    detail
    run org.trapline.attribution.bench.LookupBenchmark ;;
  *) echo "usage: $0 [ingest|lookup|detail|all] [options]" >&2; exit 2 ;;
esac
