"""Benchmark (not a test): figures from one run on the demo topology, printed as ratios.

1. Bulk download through the same switch: handed off (node1 hands to node2) vs served by the node the
   connection landed on (no splice), once on the slow path (the controller translating every packet)
   and once with the XDP fast path on the switch's ports; each ratio from its own run. Both go through
   node2's agent, which relays nginx's bytes. A third pair leaves the agents out of the bytes' way:
   node1 hands straight to node2's nginx (handoffTargetPort 8080) vs the client downloading from that
   nginx by its address, so the ratio is the splice's own cost.
   Rates on these shared machines jump between two levels (about 105 and 160 MB/s here) for seconds at a
   time, in either mode, so each pair runs ROUNDS times, alternating, and the ratio is the median of the
   per-round ratios (as bench_vs_haproxy.py does): the two downloads of a round are seconds apart and
   mostly see the same level, where medians taken over each mode apart compared whichever level each
   happened to catch more often (one run gave 0.85 that way). The ratio of medians and the spread are
   printed beside it. The machine's busy CPU time per 100 MB (every process and the kernel, from
   /proc/stat) is printed too: it shows what a mode costs even where the rate hides it (the switch's one
   OVS thread, not the cores, limits the rate here). The XDP program's own time per packet comes from the
   kernel's BPF statistics.
2. Handoff latency: POST received to rules (and fast-path map) confirmed (controller), and request sent to
   first byte at the client for a handed-off request vs a locally served one on the same kind of
   keep-alive connection. (Handoffs per second: bench_handoffs.py, without agents in the way.)
3. What the attached program costs unspliced traffic: direct downloads with it detached and attached;
   and its own time per packet in place, for a direct and a handed-off download.
4. Node1's cost for a 100 MB response it does not serve: CPU time of its agent and bytes through the
   agent's read/write calls, when it hands the connection off vs when it relays the bytes itself
   (the agent as a user-space proxy, relayOnly).
5. Node2's cost for serving a handed-off 100 MB response: CPU time of its agent and nginx together,
   per GB, when its agent relays nginx's bytes (the default) vs when node1 hands the connection
   straight to nginx (handoffTargetPort 8080).
With --onos: only 1 and 2, under ONOS 2.7.0 with the app and the fast path (the map written by the
switch-host agent). TCPSPLICE_BENCH_ROUNDS sets the rounds of 1 (default 15).
Run as root with the system Python after a build (scripts/bench-splice.sh does both).
"""

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import splice_topo as topo  # noqa: E402
from scenario import Scenario  # noqa: E402

SIZE_MB = 100
ROUNDS = int(os.environ.get('TCPSPLICE_BENCH_ROUNDS', '15'))
HANDOFFS = 30
WARM_UP_HANDOFFS = 200


def url(path):
    return 'http://%s%s' % (topo.VIP, path)


def busy_cpu_seconds():
    """CPU seconds the whole machine spent busy so far (user, nice, system, irq, softirq; not idle, iowait
    or steal). Mininet's hosts share this kernel, so this counts the client, the nodes and the switch."""
    fields = [int(v) for v in open('/proc/stat').readline().split()[1:8]]
    return (fields[0] + fields[1] + fields[2] + fields[5] + fields[6]) / float(os.sysconf('SC_CLK_TCK'))


def transfer(sc, landing, path):
    """One download of `path` on a connection that lands on node `landing` (after a /whoami): MB/s over
    the whole request (for a handed-off one, the handoff included), MB/s once bytes flow, and the
    machine's busy CPU seconds per 100 MB. landing None: from node2's nginx by its own address, no VIP,
    no agent."""
    base = url('') if landing else 'http://%s:8080' % topo.node_ip(2)
    if landing:
        sc.steer_next_connection_to(landing)
    cpu = busy_cpu_seconds()
    out = sc.client(1).cmd('curl -s -m 120 -o /dev/null %s/whoami -w "%%{size_download} %%{time_starttransfer} '
                           '%%{time_total}\n" -o /dev/null %s%s' % (base, base, path))
    cpu = busy_cpu_seconds() - cpu
    size, first_byte, total = map(float, re.findall(r'^([\d.]+) ([\d.]+) ([\d.]+)\r?$', out, re.M)[-1])
    return size / total / 1e6, size / (total - first_byte) / 1e6, cpu / (size / 1e8)


def download(sc, landing, path):
    """MB/s of one download, the whole request."""
    return transfer(sc, landing, path)[0]


def first_byte_ms(sc, landing, path):
    sc.steer_next_connection_to(landing)
    out = sc.client(1).cmd('curl -s -m 30 -o /dev/null %s -w "%%{time_starttransfer}\\n" -o /dev/null %s'
                           % (url('/whoami'), url(path)))
    return float(re.findall(r'^([\d.]+)\r?$', out, re.M)[-1]) * 1000


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def bulk(sc, label, direct_landing=2):
    """Alternating direct and handed-off downloads of the same file; returns the median per-round ratio."""
    download(sc, direct_landing, '/b/bench')  # warm-up, not counted: page cache, JIT, ARP and MAC learning
    download(sc, 1, '/b/bench')
    direct, spliced = [], []
    for r in range(ROUNDS):
        direct.append(transfer(sc, direct_landing, '/b/bench'))  # node2 serves /b/ itself
        spliced.append(transfer(sc, 1, '/b/bench'))  # lands on node1, handed to node2
        print('  round %d: direct %.1f   spliced (%s) %.1f   (once bytes flow: %.1f / %.1f; CPU s per 100 MB: '
              '%.2f / %.2f)' % (r + 1, direct[-1][0], label, spliced[-1][0], direct[-1][1], spliced[-1][1],
                                direct[-1][2], spliced[-1][2]))

    def median(runs, i):
        return statistics.median(run[i] for run in runs)
    def per_round(i):
        return sorted(s[i] / d[i] for s, d in zip(spliced, direct))
    whole = per_round(0)
    ratio = statistics.median(whole)
    print('  ratio spliced/direct, %s: %.2f over the whole request (median of the rounds; lowest-highest %.2f-%.2f, '
          'middle half %.2f-%.2f; ratio of the medians %.2f), %.2f once bytes flow; CPU per 100 MB spliced/direct %.2f' % (
              label, ratio, whole[0], whole[-1], pct(whole, 25), pct(whole, 75), median(spliced, 0) / median(direct, 0),
              statistics.median(per_round(1)), statistics.median(per_round(2))))
    return ratio


def xdp_cost_to_unspliced(sc):
    """Direct (unspliced) downloads with the program attached and detached, alternating, in one topology."""
    attached, detached = [], []
    for _ in range(3):
        sc.xdp_ports('detach')
        detached.append(download(sc, 2, '/b/bench'))
        sc.xdp_ports('attach')
        attached.append(download(sc, 2, '/b/bench'))
    print('unspliced downloads, XDP detached / attached (MB/s): %s / %s; ratio of medians %.2f' % (
        ' '.join('%.0f' % v for v in detached), ' '.join('%.0f' % v for v in attached),
        statistics.median(attached) / statistics.median(detached)))


def xdp_program_runs():
    """(nanoseconds, runs) the loaded splice_xdp program has spent and made so far (kernel BPF statistics)."""
    progs = json.loads(subprocess.run(['bpftool', '-j', 'prog', 'show'], capture_output=True, text=True, check=True).stdout)
    ours = [p for p in progs if p.get('name') == 'splice_xdp']
    return sum(p.get('run_time_ns', 0) for p in ours), sum(p.get('run_cnt', 0) for p in ours)


def xdp_program_cost(sc):
    """The program's own time per packet, in place: direct downloads (every lookup misses) and handed-off
    ones (the newest range translated), from the kernel's BPF statistics, switched on for this only."""
    subprocess.run(['sysctl', '-q', 'kernel.bpf_stats_enabled=1'], check=True)
    try:
        for kind, landing in (('direct', 2), ('handed off', 1)):
            ns, runs = xdp_program_runs()
            download(sc, landing, '/b/bench')
            ns2, runs2 = xdp_program_runs()
            print('XDP program in place, %s 100 MB download: %d runs, %.0f ns each, %.1f ms in all' % (
                kind, runs2 - runs, (ns2 - ns) / max(1, runs2 - runs), (ns2 - ns) / 1e6))
    finally:
        subprocess.run(['sysctl', '-q', 'kernel.bpf_stats_enabled=0'], check=False)


def first_bytes(sc, count=HANDOFFS, warm_up=WARM_UP_HANDOFFS):
    """Request sent -> first byte in ms, (handed off, served locally), each `count` times on fresh
    connections (one request served where it landed, then one for node2 that node1 hands off), after
    `warm_up` such pairs that are not counted: the agents' and the controller's JIT (30 cold handoffs
    measured twice the p50 of warm ones)."""
    for _ in range(warm_up):
        first_byte_ms(sc, 1, '/b/who')
    local, handed = [], []
    for _ in range(count):
        local.append(first_byte_ms(sc, 2, '/b/who'))
        handed.append(first_byte_ms(sc, 1, '/b/who'))
    return handed, local


def latency(sc):
    handed, local = first_bytes(sc)
    m = sc.metrics()
    print('handoff latency over %d handoffs after %d not counted (%s):' % (HANDOFFS, WARM_UP_HANDOFFS, m.get('fast_path')))
    print('  handoff received -> committed (controller: journal fsync, and map write or rules + barrier): p50 %.1f ms, p99 %.1f ms'
          % (m['handoff_latency_us_p50'] / 1000.0, m['handoff_latency_us_p99'] / 1000.0))
    print('  request sent -> first byte (client): handed off p50 %.1f ms p99 %.1f ms; served locally p50 %.1f ms '
          'p99 %.1f ms' % (pct(handed, 50), pct(handed, 99), pct(local, 50), pct(local, 99)))


def process_cost(pid):
    """CPU seconds (user + system) and bytes through read/write-like calls of a process so far."""
    fields = open('/proc/%d/stat' % pid).read().rsplit(')', 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / float(os.sysconf('SC_CLK_TCK'))  # utime, stime
    io = dict(line.split(': ') for line in open('/proc/%d/io' % pid).read().splitlines())
    return cpu, int(io['rchar']) + int(io['wchar'])


def node1_cost(sc):
    """Node1's agent's CPU and I/O for one download that lands on node1 and belongs to node2."""
    download(sc, 1, '/b/bench')  # warm-up of this agent's path, not counted
    pid = sc.agent_pid(1)
    cpu0, io0 = process_cost(pid)
    speed = download(sc, 1, '/b/bench')
    cpu1, io1 = process_cost(pid)
    return cpu1 - cpu0, io1 - io0, speed


def cost(sc):
    handing = node1_cost(sc)
    with sc.agent_configured(1, relay_only=True, kernel_relay=False):
        relaying = node1_cost(sc)
    with sc.agent_configured(1, relay_only=True):
        in_kernel = node1_cost(sc)
    print('node1, a %d MB response that node2 serves (CPU s of node1\'s agent, MB through its read/write calls, MB/s):'
          % SIZE_MB)
    print('  hands off: %.2f s, %.1f MB, %.1f MB/s' % (handing[0], handing[1] / 1e6, handing[2]))
    print('  relays (user-space proxy): %.2f s, %.1f MB, %.1f MB/s' % (relaying[0], relaying[1] / 1e6, relaying[2]))
    print('  relays, the body moved in the kernel (splice(2), as kernelRelay does): %.2f s, %.1f MB, %.1f MB/s'
          % (in_kernel[0], in_kernel[1] / 1e6, in_kernel[2]))


def serving_cost(sc):
    """CPU seconds per GB of node2's agent and nginx (master and workers) for one handed-off download."""
    download(sc, 1, '/b/bench')  # warm-up, not counted
    master = sc.node(2).cmd('cat %s/nginx.pid' % sc.node_dir(2)).strip()
    workers = subprocess.run(['pgrep', '-P', master], capture_output=True, text=True).stdout.split()
    pids = [sc.agent_pid(2), int(master)] + [int(w) for w in workers]
    before = sum(process_cost(pid)[0] for pid in pids)
    download(sc, 1, '/b/bench')
    return (sum(process_cost(pid)[0] for pid in pids) - before) / (SIZE_MB / 1000.0)


def serving(sc):
    relayed = serving_cost(sc)
    with sc.agent_configured(1, handoff_port=8080):
        straight = serving_cost(sc)
    print('node2, serving a handed-off %d MB response (CPU s per GB of its agent and nginx): its agent relays '
          'nginx\'s bytes %.2f; straight from nginx (handoffTargetPort) %.2f' % (SIZE_MB, relayed, straight))


def scenario(offload, controller='standalone'):
    return Scenario(tempfile.mkdtemp(prefix='tcpsplice-bench-'), clients=1, nodes=3, agents=True, offload=offload,
                    controller=controller, log=lambda m: None)


def with_bench_file(sc):
    for j in (1, 2):
        sc.write_file(j, 'b/bench', SIZE_MB * 1024 * 1024, 'bench')
    return sc


def main():
    print('bulk, %d MB per download, one warm-up pair then %d rounds alternating (MB/s):' % (SIZE_MB, ROUNDS))
    if '--onos' in sys.argv[1:]:
        # ONOS with the app, the fast path's map written by the switch-host agent.
        with scenario(offload=True, controller='onos') as sc:
            onos = bulk(with_bench_file(sc), 'ONOS, XDP fast path')
            latency(sc)
        print('summary: spliced/direct %.2f under ONOS with the fast path' % onos)
        return 0
    with scenario(offload=False) as sc:
        slow = bulk(with_bench_file(sc), 'slow path')
    with scenario(offload=True) as sc:
        fast = bulk(with_bench_file(sc), 'XDP fast path')
        with sc.agent_configured(1, handoff_port=8080):
            to_nginx = bulk(sc, 'XDP, to nginx', direct_landing=None)
        print('summary: spliced/direct %.2f on the slow path, %.2f with the fast path, %.2f with the fast path and no'
              ' agent relaying at node2 (each from its own run)' % (slow, fast, to_nginx))
        xdp_cost_to_unspliced(sc)
        xdp_program_cost(sc)
        latency(sc)
        cost(sc)
        serving(sc)
    return 0


if __name__ == '__main__':
    sys.exit(main())
