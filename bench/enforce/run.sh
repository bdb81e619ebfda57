#!/usr/bin/env bash
# Enforcement benchmark: trap hits per second through the strike engine and action journal (H2 file
# database, instant-ACK NAS), then one expiry sweep. Usage: bench/enforce/run.sh [HITS] [SUBSCRIBERS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
(cd "$ROOT" && mvn -q -B -Dstyle.color=never -DskipTests -pl enforcement -am test-compile dependency:build-classpath \
   -Dmdep.outputFile=target/test-classpath.txt >/dev/null)
CP="$ROOT/enforcement/target/test-classes:$ROOT/enforcement/target/classes:$(cat "$ROOT/enforcement/target/test-classpath.txt")"
exec java -cp "$CP" org.trapline.enforcement.bench.EnforcerBench "${1:-20000}" "${2:-1000}"
