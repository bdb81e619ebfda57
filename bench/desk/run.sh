#!/usr/bin/env bash
# Web desk speed benchmark. Usage: bench/desk/run.sh [HITS=1000000] [CHROMIUM_LOADS=20]
# (JAVA_OPTS=-DbuildOnly=true only builds the store, e.g. ahead of a run under the exclusive bench lock;
# JAVA_OPTS=-Dpartial=true measures a store whose build was stopped, as far as it got.)
# Builds the modules (tests skipped), compiles src/ with the evidence bench's hit generator against the
# server's test class path (web desk, stores, Selenium), then runs DeskBench. The store of HITS hits is
# built once into bench/desk/target/store-HITS and reused; delete that directory to build it again.
# Needs Debian's chromium and chromium-driver for the first-paint step. Not part of mvn test.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$here/target"
mkdir -p "$out"
(cd "$repo" && mvn -B -q -o -Dstyle.color=never -pl server -am -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile="$out/classpath.txt" -Dmdep.includeScope=test >/dev/null)
cp="$(cat "$out/classpath.txt")"
rm -rf "$out/classes" && mkdir -p "$out/classes"
javac -nowarn -d "$out/classes" -cp "$cp" "$here"/src/*.java "$repo/bench/evidence/src/GeneratedHits.java"
cd "$repo"
exec java -Xms2g -Xmx2g -XX:+UseParallelGC ${JAVA_OPTS:-} -cp "$out/classes:$cp" -Dlogback.configurationFile="$here/logback-bench.xml" \
    -Dcache="$out" -Dcorpus="$repo/../shared/testdata/messages" DeskBench "$@"
