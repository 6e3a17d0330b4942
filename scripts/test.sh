#!/usr/bin/env bash
# The one command that sets up and runs every test (the README's second command; .ci/run calls it).
# Unit and property tests run under Maven Surefire; the network tests will join as they land.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "test: building the reactor and running all tests"
mvn -B -ntp verify
