#!/usr/bin/env bash
# Shared by the launchers (controller.sh, switch-host-agent.sh, node-agent.sh):
#   run-java.sh MODULE MAIN_CLASS OPTIONS_VARIABLE EXTRA_OPTIONS [ARGS...]
# runs MAIN_CLASS from MODULE's jar and its dependencies (MODULE/target/lib, copied by mvn package), as
# this process (exec: whoever started the launcher can stop it by that PID). The JVM's options are the
# environment variable named OPTIONS_VARIABLE, or -XX:TieredStopAtLevel=1 where it is unset (C1 only:
# on two cores C2's compiling cost the agents and the controller more CPU than it saved;
# docs/benchmarks/2026-12-07.md), then EXTRA_OPTIONS.
set -euo pipefail
module=$1 main=$2 variable=$3 extra=$4
shift 4
opts="${!variable--XX:TieredStopAtLevel=1} $extra"
target="$(cd "$(dirname "$0")/.." && pwd)/$module/target"
jar=$(ls "$target"/"$module"-*.jar 2>/dev/null | grep -v -e '-sources' -e '-tests' | head -n 1 || true)
if [ -z "$jar" ]; then
    echo "$module: no jar in $target; build it with: mvn -B -ntp install -DskipTests" >&2
    exit 2
fi
# shellcheck disable=SC2086  # the options are words
exec java $opts -cp "$jar:$target/lib/*" "$main" "$@"
