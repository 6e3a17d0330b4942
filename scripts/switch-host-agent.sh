#!/usr/bin/env bash
# The switch-host agent, which writes the XDP fast path's map for the ONOS app (docs/fast-path.md):
# scripts/switch-host-agent.sh --secret-file FILE --listen HOST:PORT --map PINNED_MAP.
# TCPSPLICE_CONTROLLER_JAVA_OPTS: the JVM's options, as for scripts/controller.sh.
exec "$(dirname "$0")/run-java.sh" controller org.tcpsplice.controller.switchagent.SwitchHostAgentMain \
    TCPSPLICE_CONTROLLER_JAVA_OPTS "" "$@"
