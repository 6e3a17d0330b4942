#!/usr/bin/env bash
# splice-core performance, printed (never asserted): JMH throughput of the 66-byte translation and
# the slow-path step, Fig. 5 lookup at 1 / 1,000 / 1,000,000 splices, and memory per splice.
# Takes about 4 minutes on 2 cores. Numbers swing on shared machines; compare within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mvn -B -ntp -q package -DskipTests
jar=benchmarks/target/benchmarks.jar
java -jar "$jar" -f 1 -wi 3 -w 1s -i 5 -r 1s -t 1 -rf json -rff target-bench.json 'TranslateBenchmark|LookupBenchmark'
java -Xmx4g -Djol.magicFieldOffset=true -cp "$jar" org.tcpsplice.bench.MemoryPerSplice 2>&1 | grep -v '^WARNING'
