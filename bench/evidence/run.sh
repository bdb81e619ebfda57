#!/usr/bin/env bash
# Evidence store benchmark. Usage: bench/evidence/run.sh [DOCS=1000000] [THREADS=cores] [RECORDS=2000] [PIPELINE_HITS=0]
# Run from anywhere; builds the module (tests skipped), then runs EvidenceBench.java on its classpath.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
mvn -B -q -pl evidence-store -am -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime >/dev/null
cp="evidence-store/target/classes:$(cat evidence-store/target/bench.classpath)"
exec java -Xms2g -Xmx2g -XX:+UseParallelGC -cp "$cp" -Dcorpus="$repo/../shared/testdata/messages" \
    bench/evidence/EvidenceBench.java "$@"
