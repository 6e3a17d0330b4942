#!/usr/bin/env bash
# The README's first command: sets up this machine (Debian packages, Open vSwitch started), builds,
# and runs the demo in Mininet: clients, one OVS switch, the controller, three nodes with node agents
# and nginx; live handoffs (A to B to C on one connection), a 10 MB handed-off download, the splice
# table and flows; then cleans up. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "demo: building"
mvn -B -ntp -q package -DskipTests
/usr/bin/python3 mininet-topos/demo.py "$@"   # --slow-path, or --onos (ONOS 2.7.0 with the app)
