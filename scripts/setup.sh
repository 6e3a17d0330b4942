#!/usr/bin/env bash
# Installs what the build and tests need on a fresh Debian 12 (run as root): a JDK 17 and Maven.
# Idempotent: a machine that has them already is left alone. Later stages (Mininet, Open vSwitch,
# nginx) will be added here as the modules that need them land.
set -euo pipefail
need=()
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
javac -version 2>&1 | sed 's/^/setup: /'
mvn -v 2>/dev/null | head -1 | sed 's/^/setup: /'
