#!/usr/bin/env bash
# End-to-end benchmark on the demo topology (Mininet, OVS, controller, node agents, nginx): spliced vs
# direct bulk throughput as ratios (slow path, XDP fast path), handoff latency p50/p99 and handoffs per second. About 3 minutes. Root.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mvn -B -ntp -q package -DskipTests
/usr/bin/python3 mininet-topos/bench.py
