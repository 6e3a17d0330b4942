#!/usr/bin/env bash
# The standalone controller: scripts/controller.sh --config FILE (fields: docs/configuration.md).
# Build it first (mvn -B -ntp install -DskipTests).
# TCPSPLICE_CONTROLLER_JAVA_OPTS: the JVM's options (default: run-java.sh's).
exec "$(dirname "$0")/run-java.sh" controller org.tcpsplice.controller.ControllerMain \
    TCPSPLICE_CONTROLLER_JAVA_OPTS "" "$@"
