#!/bin/sh
# Origin benchmark: Received headers parsed per second and microseconds per trace, over the shared
# corpora. Usage (from anywhere): bench/origin/run.sh [seconds-per-measurement]
set -e
cd "$(dirname "$0")/../.."
mvn -B -q -pl origin -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp
exec java -Xms256m -Xmx256m -cp "origin/target/classes:origin/target/test-classes:$(cat origin/target/bench.cp)" \
  org.trapline.origin.bench.OriginBenchmark ../shared/testdata "${1:-5}"
