#!/usr/bin/env bash
# Enforcement benchmark: trap hits per second through the strike engine and action journal (H2 file
# database, instant-ACK NAS), then one expiry sweep. Usage: bench/enforce/run.sh [HITS] [SUBSCRIBERS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
(cd "$ROOT" && mvn -q -B -Dstyle.color=never -DskipTests -pl evidence-store -am test-compile dependency:build-classpath \
   -Dmdep.outputFile=target/test-classpath.txt >/dev/null)
CP="$ROOT/evidence-store/target/test-classes:$ROOT/evidence-store/target/classes:$(cat "$ROOT/evidence-store/target/test-classpath.txt")"
exec java -cp "$CP" org.trapline.evidence.policy.bench.EnforcerBench "${1:-20000}" "${2:-1000}"
