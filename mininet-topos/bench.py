"""Benchmark (not a test): figures from one run on the demo topology, printed as ratios.

1. Bulk download through the same switch: handed off (node1 hands to node2; the slow path, the controller
   translating every packet) vs served by the node the connection landed on (no splice).
2. Handoff latency: POST received to rules confirmed (controller), and request sent to first byte at the
   client for a handed-off request vs a locally served one on the same kind of keep-alive connection.
Run as root with the system Python after a build (scripts/bench-splice.sh does both).
"""

import os
import re
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import splice_topo as topo  # noqa: E402
from scenario import Scenario  # noqa: E402

SIZE_MB = 20
ROUNDS = 3
HANDOFFS = 30


def url(path):
    return 'http://%s%s' % (topo.VIP, path)


def download(sc, landing, path):
    """MB/s of one download of `path` on a connection that lands on node `landing` (after a /whoami)."""
    sc.steer_next_connection_to(landing)
    out = sc.client(1).cmd('curl -s -m 120 -o /dev/null %s -w "%%{speed_download}\\n" -o /dev/null %s'
                           % (url('/whoami'), url(path)))
    speeds = re.findall(r'^([\d.]+)\r?$', out, re.M)
    return float(speeds[-1]) / 1e6


def first_byte_ms(sc, landing, path):
    sc.steer_next_connection_to(landing)
    out = sc.client(1).cmd('curl -s -m 30 -o /dev/null %s -w "%%{time_starttransfer}\\n" -o /dev/null %s'
                           % (url('/whoami'), url(path)))
    return float(re.findall(r'^([\d.]+)\r?$', out, re.M)[-1]) * 1000


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def main():
    with Scenario(tempfile.mkdtemp(prefix='tcpsplice-bench-'), clients=1, nodes=3, agents=True, log=lambda m: None) as sc:
        for j in (1, 2):
            sc.write_file(j, 'b/bench', SIZE_MB * 1024 * 1024, 'bench')
        print('bulk, %d MB per download, %d rounds alternating (MB/s):' % (SIZE_MB, ROUNDS))
        direct, spliced = [], []
        for r in range(ROUNDS):
            direct.append(download(sc, 2, '/b/bench'))   # lands on node2, which serves /b/ itself
            spliced.append(download(sc, 1, '/b/bench'))  # lands on node1, handed to node2
            print('  round %d: direct %.1f   spliced (slow path) %.1f' % (r + 1, direct[-1], spliced[-1]))
        print('  ratio spliced/direct (medians): %.2f' % (statistics.median(spliced) / statistics.median(direct)))

        local, handed = [], []
        for _ in range(HANDOFFS):
            local.append(first_byte_ms(sc, 2, '/b/who'))
            handed.append(first_byte_ms(sc, 1, '/b/who'))
        m = sc.metrics()
        print('handoff latency over %d handoffs:' % HANDOFFS)
        print('  POST received -> rules confirmed (controller): p50 %.1f ms, p99 %.1f ms'
              % (m['handoff_latency_us_p50'] / 1000.0, m['handoff_latency_us_p99'] / 1000.0))
        print('  request sent -> first byte (client): handed off p50 %.1f ms p99 %.1f ms; served locally p50 %.1f ms '
              'p99 %.1f ms' % (pct(handed, 50), pct(handed, 99), pct(local, 50), pct(local, 99)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
