#!/usr/bin/env bash
# The XDP fast path on this host (root):
#   xdp-offload.sh load          build the program if needed, load it, pin it and a new, empty map under
#                                /sys/fs/bpf/tcpsplice (prog/splice_xdp, maps/splice_entries); replaces
#                                an earlier load (interfaces still attached keep running the old one)
#   xdp-offload.sh attach IF...  attach the pinned program to the switch-side interfaces (ingress, in
#                                front of OVS): generic XDP on veths (measured faster there, see
#                                docs/benchmarks/2026-12-02.md), native where another driver has it, else
#                                generic; XDP_MODE=native or XDP_MODE=generic forces a mode
#   xdp-offload.sh detach IF...  remove it from those interfaces
#   xdp-offload.sh unload        remove the pins (after detaching everywhere)
# The controller writes the map (config field fastPathMap). See docs/fast-path.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pins=/sys/fs/bpf/tcpsplice
prog="$pins/prog/splice_xdp"
map="$pins/maps/splice_entries"

build() {
  make -s -C "$here" target/splice_xdp.o
}

case "${1:-}" in
  load)
    build
    mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
    rm -rf "$pins"   # an earlier load may be an older build of the program
    mkdir -p "$pins"
    bpftool prog loadall "$here/target/splice_xdp.o" "$pins/prog" pinmaps "$pins/maps"
    echo "xdp-offload: loaded; program $prog, map $map"
    ;;
  attach)
    shift
    for dev in "$@"; do
      mode="${XDP_MODE:-}"
      if [ -z "$mode" ]; then
        if ip -d link show dev "$dev" | grep -qE '^\s+veth\b'; then mode=generic; else mode=native; fi
      fi
      if [ "$mode" != generic ] && ip link set dev "$dev" xdpdrv pinned "$prog" 2>/dev/null; then
        echo "xdp-offload: $dev native"
      else
        ip link set dev "$dev" xdpgeneric pinned "$prog"
        echo "xdp-offload: $dev generic"
      fi
    done
    ;;
  detach)
    shift
    for dev in "$@"; do
      ip link set dev "$dev" xdpdrv off 2>/dev/null || true
      ip link set dev "$dev" xdpgeneric off 2>/dev/null || true
    done
    ;;
  unload)
    rm -rf "$pins"
    echo "xdp-offload: unloaded"
    ;;
  *)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
