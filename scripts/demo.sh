#!/usr/bin/env bash
# The README's first command. Today it builds everything and walks the patent's Figure 2 through the
# real switch logic (splice-core), printing the tables, packets and switch rules. The live Mininet
# demo with Open vSwitch, the controller and nginx nodes is not built yet (see README, Status).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mvn -B -ntp -q package -DskipTests
java -cp benchmarks/target/benchmarks.jar org.tcpsplice.bench.Figure2Walkthrough
