#!/usr/bin/env bash
# The node agent: scripts/node-agent.sh --config FILE, as root (TCP_REPAIR and packet sockets need it);
# the configuration's fields: docs/configuration.md. Build it first (mvn -B -ntp install -DskipTests).
# TCPSPLICE_AGENT_JAVA_OPTS: the JVM's options, -XX:TieredStopAtLevel=1 when unset (C1 only: on two
# cores C2's compiling cost an agent more CPU than it saved, docs/benchmarks/2026-12-07.md).
set -euo pipefail
target="$(cd "$(dirname "$0")/.." && pwd)/node-agent/target"
jar=$(ls "$target"/node-agent-*.jar 2>/dev/null | grep -v -e '-sources' -e '-tests' | head -n 1 || true)
if [ -z "$jar" ]; then
    echo "node-agent: no jar in $target; build it with: mvn -B -ntp install -DskipTests" >&2
    exit 2
fi
# exec: the agent keeps this script's PID, so whoever started it can stop it by that PID.
# --add-exports: the agent reads a channel's file descriptor (sun.nio.ch) for its socket options.
# shellcheck disable=SC2086  # the options are words
exec java ${TCPSPLICE_AGENT_JAVA_OPTS--XX:TieredStopAtLevel=1} --add-exports java.base/sun.nio.ch=ALL-UNNAMED \
    -cp "$jar:$target/lib/*" org.tcpsplice.agent.AgentMain "$@"
