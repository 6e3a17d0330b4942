"""Benchmark (not a test): this system against HAProxy, the L7 proxy users would pick instead.

The same topology, clients and nginx nodes, the same content rules (/a/ node1, /b/ node2, /c/ node3),
objects of 1 KB, 100 KB and 10 MB under /b/ (node2's content). wrk on client1, keep-alive connections
spread over the nodes by the VIP front end (round-robin). Two runs, one after the other:
- this system: node agents hand each connection that landed elsewhere to node2 (XDP fast path on);
- HAProxy on every node's port 80, proxying /b/ to node2's nginx (no splicing).
Prints requests/s and MB/s per size and the ratios. Run as root with the system Python after a build.
"""

import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import splice_topo as topo  # noqa: E402
from scenario import Scenario  # noqa: E402

SIZES = [('1 KB', '1k', 1024), ('100 KB', '100k', 100 * 1024), ('10 MB', '10m', 10 * 1024 * 1024)]
CONNECTIONS = 12
SECONDS = 8


def wrk(sc, name):
    """requests/s, MB/s and the error line (if any) of one wrk run against /b/<name>."""
    out = sc.client(1).cmd('wrk -t2 -c%d -d%ds --timeout 10s http://%s/b/%s' % (CONNECTIONS, SECONDS, topo.VIP, name))
    rps = float(re.search(r'Requests/sec:\s+([\d.]+)', out).group(1))
    value, unit = re.search(r'Transfer/sec:\s+([\d.]+)(\w+)', out).groups()
    mbps = float(value) * {'B': 1e-6, 'KB': 1.024e-3, 'MB': 1.048576, 'GB': 1073.741824}[unit]
    errors = re.search(r'(Socket errors:.*|Non-2xx.*)', out)
    return rps, mbps, errors.group(1).strip() if errors else ''


def run(sc, label):
    for _, name, size in SIZES:
        sc.write_file(2, 'b/%s' % name, size, 'object %s' % name)
    results = {}
    for title, name, _ in SIZES:
        results[title] = wrk(sc, name)
        rps, mbps, errors = results[title]
        print('  %-24s %-6s %9.0f req/s %8.1f MB/s %s' % (label, title, rps, mbps, errors), flush=True)
    return results


def main():
    print('wrk, %d keep-alive connections, %d s per size, objects served by node2:' % (CONNECTIONS, SECONDS))
    with Scenario(tempfile.mkdtemp(prefix='tcpsplice-vs-'), clients=1, nodes=3, agents=True, offload=True,
                  log=lambda m: None) as sc:
        ours = run(sc, 'tcpsplice (XDP on)')
        m = sc.metrics()
        print('  (%d handoffs, %d packet-ins in the run)' % (m.get('handoffs_applied', 0), m.get('packet_in', 0)))
    with Scenario(tempfile.mkdtemp(prefix='tcpsplice-vs-'), clients=1, nodes=3, haproxy=True,
                  log=lambda m: None) as sc:
        theirs = run(sc, 'HAProxy on every node')
    print('ratios tcpsplice / HAProxy (requests/s):')
    for title, _, _ in SIZES:
        print('  %-6s %.2f' % (title, ours[title][0] / theirs[title][0]))
    return 0


if __name__ == '__main__':
    sys.exit(main())
