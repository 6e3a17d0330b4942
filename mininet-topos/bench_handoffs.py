"""Benchmark (not a test): how many handoffs per second the standalone controller sustains, and their
latency, with a real OVS switch and the XDP fast path's real map, without node agents in the way.

client1 sends one SYN per source port from a raw socket, so the controller gives each connection to a
node (round-robin) as it would a real one; which node got which is read from the switch's steering
flows (OVS may hand the SYNs to the controller out of order). Then wrk POSTs one handoff per
connection, as its owner, from several keep-alive connections at once (mininet-topos/handoffs.lua).
Each handoff is journaled (fsync, shared by concurrent ones) and written to the map before its 201
(with the fast path the switch gets no per-splice rules, so there is no barrier to wait for). A
warm-up round (64 POSTs at a time, not counted: without it the JIT compiler took a quarter of the
machine's CPU during the measured rounds), then three rounds of fresh connections: 1, 16 and 64 POSTs at
a time.
BENCH_CONNECTIONS sets the handoffs per round (10,000: shorter rounds mostly measure the JIT warming up;
the client ports of all rounds must fit below 65536). A round's time is polled every 0.1 s, so
at about 2 s a round the rate is good to about 5 %. Run as root with the system Python after a
build (scripts/bench-splice.sh runs it).
"""

import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import scenario as scn  # noqa: E402
import splice_topo as topo  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CONNECTIONS = int(os.environ.get('BENCH_CONNECTIONS', 10000))
FIRST_PORT = 20000


def steering(sc):
    """(client port, switch port of its node) of every steering flow on s1 (client -> VIP direction)."""
    for flow in sc.dump_flows():
        m = re.search(r'nw_src=%s,nw_dst=%s,tp_src=(\d+),tp_dst=80 .*output:(\d+)' % (
            re.escape(topo.client_ip(1)), re.escape(topo.VIP)), flow)
        if m and 'priority=1000' in flow:
            yield int(m.group(1)), int(m.group(2))


def main():
    with scn.Scenario(tempfile.mkdtemp(prefix='tcpsplice-handoffs-'), clients=1, nodes=3, offload=True,
                      log=lambda m: None) as sc:
        # (label, wrk threads, concurrent POSTs, handoffs); the first round warms the JIT up.
        rounds = (('warm-up, not counted:', 2, 64, CONNECTIONS),) + tuple(
            ('%2d concurrent POSTs:' % conns, threads, conns, CONNECTIONS) for threads, conns in ((1, 1), (2, 16), (2, 64)))
        start = sc.metrics().get('new_connections', 0)
        total = sum(r[3] for r in rounds)
        if FIRST_PORT + total > 65536:
            raise SystemExit('BENCH_CONNECTIONS=%d: %d client ports from %d do not fit below 65536' % (
                CONNECTIONS, total, FIRST_PORT))
        sc.client(1).cmd('python3 %s/raw_tcp.py syns %s %s %d %d' % (HERE, topo.client_ip(1), topo.VIP, FIRST_PORT,
                                                                      total))
        sc.wait_for(lambda: sc.metrics().get('new_connections', 0) >= start + total, 120,
                    '%d connections at the controller' % total)
        owners = os.path.join(sc.workdir, 'owners.txt')
        with open(owners, 'w') as f:
            for port, node_port in steering(sc):
                f.write('%d %d\n' % (port, node_port - sc.clients - 1))
        print('%d handoffs per round, each of a connection the controller saw open (its SYN):' % CONNECTIONS)
        first = FIRST_PORT
        for label, threads, conns, count in rounds:
            env = dict(os.environ, FIRST=str(first), COUNT=str(count), OWNERS=owners,
                       NODES=str(sc.nodes), CLIENT=topo.client_ip(1), VIP=topo.VIP, THREADS=str(threads),
                       NODE_IPS=','.join(topo.node_ip(j) for j in range(1, sc.nodes + 1)),
                       TOKENS=','.join(scn.node_token(j) for j in range(1, sc.nodes + 1)))
            before = sc.metrics()
            t0 = time.time()
            wrk = subprocess.Popen(['wrk', '-t%d' % threads, '-c%d' % conns, '-d120s', '--timeout', '10s', '-s',
                                    os.path.join(HERE, 'handoffs.lua'), sc.controller.api_base.rsplit("/tcpsplice", 1)[0]],
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            def answered(m):
                return sum(v for k, v in m.items() if k.startswith('handoffs_') and k != 'handoffs_repeated'
                           and isinstance(v, int)) - sum(v for k, v in before.items() if k.startswith('handoffs_')
                                                         and k != 'handoffs_repeated' and isinstance(v, int))
            try:
                # Polled often: a round lasts a few seconds, and the rate is handoffs over the time polled.
                sc.wait_for(lambda: answered(sc.metrics(quiet=True)) >= count, 120, 'the handoffs', every=0.1)
            finally:
                elapsed = time.time() - t0
                wrk.terminate()
                wrk.communicate()
            after = sc.metrics()
            applied = after['handoffs_applied'] - before.get('handoffs_applied', 0)
            failed = {k: after[k] - before.get(k, 0) for k in after if k.startswith('handoffs_')
                      and k not in ('handoffs_applied', 'handoffs_repeated') and after[k] != before.get(k, 0)}
            first += count
            print('  %s %.0f handoffs/s (%d in %.1f s)%s' % (
                label, applied / elapsed, applied, elapsed, ('; not applied: %s' % failed) if failed else ''),
                flush=True)
        m = sc.metrics()
        print('  controller latency over all rounds (the warm-up included), handoff received -> journal durable and map written: p50 %.1f ms,'
              ' p99 %.1f ms; %d splices live, %d map entries' % (
                  m['handoff_latency_us_p50'] / 1000.0, m['handoff_latency_us_p99'] / 1000.0, m['splices'],
                  m.get('fast_path_entries', 0)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
