#!/usr/bin/env bash
# Builds the XDP fast path and checks it against splice-core's shared test vectors with
# BPF_PROG_TEST_RUN (no network): byte-identical to the Java translator, or untouched. Root needed.
set -euo pipefail
cd "$(dirname "$0")"
make -s all
# The map layout: splice-core's encoding of every vector's entries must equal the C struct's.
# (Needs splice-core built: scripts/test.sh runs mvn verify first.)
./target/check_vectors --dump ../test-vectors/translator-vectors.txt > target/entries-c.txt
java -cp ../splice-core/target/classes org.tcpsplice.core.fastpath.EncodingDump \
    ../test-vectors/translator-vectors.txt > target/entries-java.txt
if ! diff -q target/entries-c.txt target/entries-java.txt >/dev/null; then
  echo "dataplane: the Java and C map encodings differ:"; diff target/entries-c.txt target/entries-java.txt | head
  exit 1
fi
echo "dataplane: map layout: Java and C encode all $(wc -l < target/entries-c.txt) vector entries identically"
echo "dataplane: the XDP program against ../test-vectors/translator-vectors.txt"
./target/check_vectors target/splice_xdp.o ../test-vectors/translator-vectors.txt
