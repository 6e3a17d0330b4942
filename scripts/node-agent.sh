#!/usr/bin/env bash
# The node agent: scripts/node-agent.sh --config FILE, as root (TCP_REPAIR and packet sockets need it);
# the configuration's fields: docs/configuration.md. Build it first (mvn -B -ntp install -DskipTests).
# TCPSPLICE_AGENT_JAVA_OPTS: the JVM's options. Default: C1 only (as run-java.sh), and a heap of 256 MiB
# touched at start (in transparent huge pages where the kernel allows: a faster start) that may grow to
# 2 GiB, with a 64 MiB young generation: a heap that grew page by page cost the machine 12 % of its CPU
# in page faults under forced handoffs (docs/benchmarks/2026-12-08.md, "Page faults").
# --add-exports: the agent reads a channel's file descriptor (sun.nio.ch) for its socket options.
: "${TCPSPLICE_AGENT_JAVA_OPTS=-XX:TieredStopAtLevel=1 -Xms256m -Xmx2g -Xmn64m -XX:+AlwaysPreTouch -XX:+UseTransparentHugePages}"
export TCPSPLICE_AGENT_JAVA_OPTS
exec "$(dirname "$0")/run-java.sh" node-agent org.tcpsplice.agent.AgentMain \
    TCPSPLICE_AGENT_JAVA_OPTS "--add-exports java.base/sun.nio.ch=ALL-UNNAMED" "$@"
