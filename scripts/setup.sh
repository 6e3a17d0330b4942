#!/usr/bin/env bash
# Installs and starts what the build and tests need on a fresh Debian 12 (run as root, no systemd):
# a JDK 17 and Maven; Open vSwitch (userspace datapath), Mininet, nginx, curl and pytest for the
# end-to-end tests; clang and libbpf for the XDP fast path. Idempotent: what is there already is left alone.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then
  echo "setup: run as root: it installs packages, starts Open vSwitch, and the tests build Mininet hosts," \
       "load XDP programs and use TCP_REPAIR" >&2
  exit 2
fi
need=()
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v ovs-vsctl >/dev/null 2>&1 || need+=(openvswitch-switch)
# Mininet runs on the system Python (/usr/bin/python3), so its test runner comes from Debian too.
# haproxy and wrk are for the benchmark that compares this system with an L7 proxy.
# make, gcc, clang, llvm and libbpf-dev build the XDP fast path and its test-vector check (dataplane/Makefile); bpftool loads and pins it.
for pkg in mininet nginx-light curl python3-pytest iproute2 iputils-ping ethtool nftables procps openssh-client make gcc libc6-dev clang llvm libbpf-dev bpftool haproxy wrk; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
javac -version 2>&1 | sed 's/^/setup: /'
mvn -v 2>/dev/null | sed -n '1s/^/setup: /p'

# No systemd here: start ovsdb-server and ovs-vswitchd with OVS's own script. There is no OVS
# kernel module on these machines; bridges use datapath_type=netdev (userspace).
if ! ovs-vsctl --timeout=3 show >/dev/null 2>&1; then
  echo "setup: starting Open vSwitch"
  /usr/share/openvswitch/scripts/ovs-ctl start --system-id=random 2>&1 | grep -vE 'ulimit|modprobe' | sed 's/^/setup: /' || true
fi
ovs-vsctl --timeout=5 show >/dev/null
echo "setup: Open vSwitch $(ovs-vsctl --version | sed -n '1s/.* //p') running"
