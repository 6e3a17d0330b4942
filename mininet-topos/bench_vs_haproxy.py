"""Benchmark (not a test): this system against HAProxy, the L7 proxy users would pick instead.

One network: the same clients, switch, controller and nginx nodes, and the same content rules (/a/
node1, /b/ node2, /c/ node3). Objects of 1 KB, 100 KB and 10 MB under /b/ (node2's content). wrk on
client1 with keep-alive connections, spread over the nodes by the VIP front end (round-robin). What
sits on every node's port 80 takes turns, round after round, so that the machine's drift hits all of
them alike:
- tcpsplice, handing off to the target's agent (the default; the connection can be handed on again);
- tcpsplice, handing off to the target's nginx (handoffTargetPort 8080; no relay at the target);
- HAProxy, proxying /b/ to node2's nginx (no splicing; the XDP program detached for its turns).
Each turn starts with a warm-up of every size (3 s each, not counted). Each tcpsplice turn runs with
the XDP fast path. Prints every measurement, then per size the median
requests/s and the ratio to HAProxy within each round (median, and the range over the rounds). Run as
root with the system Python after a build.
"""

import os
import re
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import splice_topo as topo  # noqa: E402
from scenario import Scenario  # noqa: E402

SIZES = [('1 KB', '1k', 1024), ('100 KB', '100k', 100 * 1024), ('10 MB', '10m', 10 * 1024 * 1024)]
SYSTEMS = [('tcpsplice to agent', 'agents', None), ('tcpsplice to nginx', 'agents', 8080), ('HAProxy', 'haproxy', None)]
CONNECTIONS = 12
SECONDS = int(os.environ.get('BENCH_SECONDS', 6))
WARM_UP_SECONDS = 3  # per size, at the start of every turn
ROUNDS = int(os.environ.get('BENCH_ROUNDS', 3))


def wrk(sc, name, seconds):
    """requests/s, MB/s and the error line (if any) of one wrk run against /b/<name>."""
    out = sc.client(1).cmd('wrk -t2 -c%d -d%ds --timeout 10s http://%s/b/%s' % (CONNECTIONS, seconds, topo.VIP, name))
    found = re.search(r'Requests/sec:\s+([\d.]+)', out)
    if not found:
        raise RuntimeError('wrk gave no result for /b/%s:\n%s' % (name, out))
    rps = float(found.group(1))
    value, unit = re.search(r'Transfer/sec:\s+([\d.]+)(\w+)', out).groups()
    mbps = float(value) * {'B': 1e-6, 'KB': 1.024e-3, 'MB': 1.048576, 'GB': 1073.741824}[unit]
    errors = re.search(r'(Socket errors:.*|Non-2xx.*)', out)
    return rps, mbps, errors.group(1).strip() if errors else ''


def take_turn(sc, kind, handoff_port, xdp_attached):
    """Puts this system on port 80; returns whether the XDP program is attached afterwards."""
    want_xdp = kind == 'agents'
    if want_xdp != xdp_attached:
        sc.xdp_ports('attach' if want_xdp else 'detach')
    sc.front_ends(kind, handoff_port)
    # Warm-up, not counted, the same for every system: nginx's caches, and the JIT of the agents, which
    # restart with each turn. After 2 s of 1 KB, the agents' first measured 1 KB run still came out at
    # half their rate in some rounds (4,059 against 8,000-9,000 req/s in the runs after it).
    for _, name, _ in SIZES:
        wrk(sc, name, WARM_UP_SECONDS)
    return want_xdp


def main():
    print('wrk, %d keep-alive connections, %d s per size, objects served by node2, %d rounds:'
          % (CONNECTIONS, SECONDS, ROUNDS))
    results = {}  # (system, size title) -> [requests/s per round]
    with Scenario(tempfile.mkdtemp(prefix='tcpsplice-vs-'), clients=1, nodes=3, agents=True, offload=True,
                  log=lambda m: None) as sc:
        for _, name, size in SIZES:
            sc.write_file(2, 'b/%s' % name, size, 'object %s' % name)
        before = sc.metrics()
        xdp = True
        for r in range(1, ROUNDS + 1):
            for label, kind, port in SYSTEMS:
                xdp = take_turn(sc, kind, port, xdp)
                for title, name, _ in SIZES:
                    rps, mbps, errors = wrk(sc, name, SECONDS)
                    results.setdefault((label, title), []).append((rps, mbps))
                    print('  round %d  %-20s %-6s %9.0f req/s %8.1f MB/s %s' % (r, label, title, rps, mbps, errors),
                          flush=True)
        m = sc.metrics()
        print('  (%d handoffs, %d packet-ins in all)' % (m.get('handoffs_applied', 0) - before.get('handoffs_applied', 0),
                                                       m.get('packet_in', 0) - before.get('packet_in', 0)))
    # Ratios of MB/s: the same as of requests/s, but not rounded to whole requests (10 MB: ~6/s).
    print('median requests/s; ratio to HAProxy in the same round (MB/s): median (lowest-highest of %d rounds):'
          % ROUNDS)
    for title, _, _ in SIZES:
        haproxy = results[('HAProxy', title)]
        line = '  %-6s HAProxy %7.1f' % (title, statistics.median(r for r, _ in haproxy))
        for label, kind, _ in SYSTEMS:
            if kind != 'agents':
                continue
            ours = results[(label, title)]
            ratios = [o[1] / h[1] for o, h in zip(ours, haproxy)]
            line += ' | %s %7.1f  %.2f (%.2f-%.2f)' % (label, statistics.median(r for r, _ in ours),
                                                      statistics.median(ratios), min(ratios), max(ratios))
        print(line)
    return 0


if __name__ == '__main__':
    sys.exit(main())
