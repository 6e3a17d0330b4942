#!/usr/bin/env bash
# Rewrites test-vectors/translator-vectors.txt from the Java switch logic. Run it only after an
# intended behaviour change, then review `git diff test-vectors/` before committing: the XDP fast
# path is checked against this file byte for byte.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -pl splice-core test -Dtest="TestVectorFileTest#committedFileIsWhatTheJavaLogicDoesToday" -Dtcpsplice.regenerateVectors=true -Dsurefire.failIfNoSpecifiedTests=false
echo "rewrote test-vectors/translator-vectors.txt ($(grep -c '^vector ' test-vectors/translator-vectors.txt) vectors)"
