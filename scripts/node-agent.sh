#!/usr/bin/env bash
# The node agent: scripts/node-agent.sh --config FILE, as root (TCP_REPAIR and packet sockets need it);
# the configuration's fields: docs/configuration.md. Build it first (mvn -B -ntp install -DskipTests).
# TCPSPLICE_AGENT_JAVA_OPTS: the JVM's options (default: run-java.sh's).
# --add-exports: the agent reads a channel's file descriptor (sun.nio.ch) for its socket options.
exec "$(dirname "$0")/run-java.sh" node-agent org.tcpsplice.agent.AgentMain \
    TCPSPLICE_AGENT_JAVA_OPTS "--add-exports java.base/sun.nio.ch=ALL-UNNAMED" "$@"
