#!/usr/bin/env bash
# Shared by the launchers (controller.sh, switch-host-agent.sh, node-agent.sh):
#   run-java.sh MODULE MAIN_CLASS OPTIONS [ARGS...]
# runs MAIN_CLASS from MODULE's jar and its dependencies (MODULE/target/lib, copied by mvn package) with the
# JVM options OPTIONS (one word list), as this process (exec: whoever started the launcher can stop
# it by that PID).
set -euo pipefail
module=$1 main=$2 opts=$3
shift 3
target="$(cd "$(dirname "$0")/.." && pwd)/$module/target"
jar=$(ls "$target"/"$module"-*.jar 2>/dev/null | grep -v -e '-sources' -e '-tests' | head -n 1 || true)
if [ -z "$jar" ]; then
    echo "$module: no jar in $target; build it with: mvn -B -ntp install -DskipTests" >&2
    exit 2
fi
# shellcheck disable=SC2086  # the options are words
exec java $opts -cp "$jar:$target/lib/*" "$main" "$@"
