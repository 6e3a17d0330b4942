#!/usr/bin/env bash
# End-to-end benchmarks on the demo topology (Mininet, OVS, controller, node agents, nginx), each printing
# ratios measured in one run; about 30 minutes in all. Root.
#   bench.py             spliced vs direct bulk throughput (slow path, XDP fast path), handoff latency,
#                        node1's CPU handing off vs relaying
#   bench.py --onos      the same bulk ratio and latency under ONOS with the fast path (switch-host agent)
#   bench_handoffs.py    handoffs per second the controller sustains (real OVS and XDP map, no agents)
#   bench_vs_haproxy.py  requests/s and MB/s against HAProxy on the same topology (1 KB, 100 KB, 10 MB),
#                        the systems taking turns over three rounds
#   bench_dispatch.py    content-aware dispatch against HAProxy (Connection: close, keep-alive changing
#                        class, one class), with CPU per request and per handoff for each component
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mvn -B -ntp -q package -DskipTests
/usr/bin/python3 mininet-topos/bench.py
/usr/bin/python3 mininet-topos/bench.py --onos
/usr/bin/python3 mininet-topos/bench_handoffs.py
/usr/bin/python3 mininet-topos/bench_vs_haproxy.py
/usr/bin/python3 mininet-topos/bench_dispatch.py
