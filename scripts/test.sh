#!/usr/bin/env bash
# The one command that sets up and runs every test (the README's second command; .ci/run calls it).
# 1. mvn verify: unit and property tests (Surefire) and the controller's tests against real OVS (Failsafe).
# 2. the XDP fast path against the shared test vectors (BPF_PROG_TEST_RUN).
# 3. pytest: end-to-end tests in Mininet with OVS, the controller, nginx and curl, each on the slow path
#    and with the XDP fast path attached.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "test: building the reactor and running the JVM tests"
mvn -B -ntp verify
bash dataplane/check-vectors.sh
echo "test: end-to-end tests in Mininet"
/usr/bin/python3 -m pytest -c mininet-topos/pytest.ini mininet-topos/tests -v
