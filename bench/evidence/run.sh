#!/usr/bin/env bash
# Evidence store benchmark. Usage: bench/evidence/run.sh [DOCS=1000000] [THREADS=cores] [RECORDS=2000] [PIPELINE_HITS=0]
# Run from anywhere; builds the module (tests skipped), compiles src/ (the bench and the hit generator it
# shares with bench/desk) against it, then runs EvidenceBench.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
mvn -B -q -pl evidence-store -am -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime >/dev/null
cp="evidence-store/target/classes:$(cat evidence-store/target/bench.classpath)"
rm -rf "$here/target/classes" && mkdir -p "$here/target/classes"
javac -nowarn -d "$here/target/classes" -cp "$cp" "$here"/src/*.java
exec java -Xms2g -Xmx2g -XX:+UseParallelGC -cp "$here/target/classes:$cp" -Dcorpus="$repo/../shared/testdata/messages" \
    EvidenceBench "$@"
