#!/usr/bin/env bash
# The standalone controller: scripts/controller.sh --config FILE (fields: docs/configuration.md).
# Build it first (mvn -B -ntp install -DskipTests).
# TCPSPLICE_CONTROLLER_JAVA_OPTS: the JVM's options, -XX:TieredStopAtLevel=1 when unset (C1 only: on
# two cores C2's compiling took half the controller's CPU 20 s into forced handoffs, and the controller
# alone sustained more handoffs/s without it; docs/benchmarks/2026-12-07.md).
exec "$(dirname "$0")/run-java.sh" controller org.tcpsplice.controller.ControllerMain \
    "${TCPSPLICE_CONTROLLER_JAVA_OPTS--XX:TieredStopAtLevel=1}" "$@"
