#!/usr/bin/env bash
# The one command that sets up and runs every test (the README's second command; .ci/run calls it).
# 1. mvn verify: unit and property tests (Surefire) and the controller's tests against real OVS (Failsafe).
# 2. the XDP fast path against the shared test vectors (BPF_PROG_TEST_RUN).
# 3. a live ONOS 2.7.0 built from ONOS's source (onos-live/build_onos.py; cached under build/onos).
# 4. pytest: end-to-end tests in Mininet with OVS, nginx and curl, each with the standalone controller on
#    the slow path, the same with the XDP fast path attached, and with ONOS running the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "test: building the reactor and running the JVM tests"
mvn -B -ntp verify
bash dataplane/check-vectors.sh
echo "test: ONOS 2.7.0 for the onos mode (built once per set of inputs)"
python3 onos-live/build_onos.py >/dev/null
echo "test: end-to-end tests in Mininet"
/usr/bin/python3 -m pytest -c mininet-topos/pytest.ini mininet-topos/tests -v
