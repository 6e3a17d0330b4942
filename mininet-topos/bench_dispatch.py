"""Benchmark (not a test): content-aware dispatch, tcpsplice against HAProxy on the same nodes, on the
workloads dispatch exists for (issue 18's table).

One network, three nodes with the agents' content rules (/a/ node1, /b/ node2, /c/ node3), the XDP fast
path attached for both systems (it translates spliced packets and passes everything else), new
connections spread over the nodes by the same VIP front end. wrk on client1. The systems take turns on
every node's port 80, round after round (default 3), each turn warmed up first:

  tcpsplice     the agents with their default dispatch ("adaptive": relay until a handoff pays)
  always        every request for another node handed off: what a handoff itself costs
  relay         (on request) the agents as plain proxies, never handing off
  HAProxy       HAProxy with the same content rules

  (a) close-1k      Connection: close, 1 KB from /b/ (two in three connections land on another node)
  (b) rotate-1k     keep-alive, each request for one of /a/, /b/, /c/ or a local path at random, 1 KB
  (c) rotate-100k   the same with 100 KB objects
  (d) one-1k, one-100k   keep-alive, one content class (/b/)

For each: requests/s, wrk's errors, handoffs (the controller's counter), and busy CPU per request and per
handoff for each component (OVS, controller, agents, nginx, HAProxy), from /proc. Prints every turn,
then per workload the median requests/s and the median of the per-round ratios to HAProxy, and issue 18's
targets, each met or not; among them the first byte of a handed-off request against a locally served one
(bench.py's measure, with the `always` agents, taken before the rounds).
Run as root with the system Python after a build; BENCH_SECONDS, BENCH_ROUNDS, BENCH_CONNECTIONS,
BENCH_SYSTEMS and BENCH_WORKLOADS (comma-separated names from the lists above; HAProxy must be among the
systems, as every ratio is to it), BENCH_CONTROLLER (standalone, the default, or onos: ONOS 2.7.0 with the
app, its fast path written by the switch-host agent, both counted as the controller).
"""

import os
import re
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench  # noqa: E402
import splice_topo as topo  # noqa: E402
from scenario import Scenario  # noqa: E402

SECONDS = int(os.environ.get('BENCH_SECONDS', 8))
ROUNDS = int(os.environ.get('BENCH_ROUNDS', 3))
CONNECTIONS = int(os.environ.get('BENCH_CONNECTIONS', 16))
WARM_UP_SECONDS = 3
CLK_TCK = os.sysconf('SC_CLK_TCK')

# name -> (paths a connection rotates over, keep-alive)
ALL_WORKLOADS = {
    'close-1k': (['/b/1k'], False),
    'rotate-1k': (['/a/1k', '/b/1k', '/c/1k', '/1k'], True),
    'rotate-100k': (['/a/100k', '/b/100k', '/c/100k', '/100k'], True),
    'one-1k': (['/b/1k'], True),
    'one-100k': (['/b/100k'], True),
}
WORKLOADS = {w: ALL_WORKLOADS[w] for w in os.environ.get('BENCH_WORKLOADS', ','.join(ALL_WORKLOADS)).split(',')}
# name -> FrontEnds.start_agent's settings (None: HAProxy): the agent's default dispatch, every request
# for another node handed off (what a handoff itself costs), and the agents as plain proxies. Relayed
# requests go to the other node's nginx (relayPort 8080), as HAProxy's backends do.
SYSTEM_SETTINGS = {'tcpsplice': {'dispatch': 'adaptive', 'relay_port': 8080}, 'always': {'dispatch': 'always'},
                   'relay': {'relay_only': True, 'relay_port': 8080}, 'HAProxy': None}
SYSTEMS = os.environ.get('BENCH_SYSTEMS', 'tcpsplice,always,HAProxy').split(',')
CONTROLLER = os.environ.get('BENCH_CONTROLLER', 'standalone')

# wrk's Lua: each request takes one of the paths at random (wrk's Lua has no per-connection state, and a
# fixed rotation per thread could give each connection the same path every time); "close" adds the header.
WRK_SCRIPT = """
local paths = {%(paths)s}
local close = %(close)s
function request()
  local headers = {}
  if close then headers["Connection"] = "close" end
  return wrk.format("GET", paths[math.random(#paths)], headers)
end
"""


def ticks(pid):
    """utime + stime of a process, in clock ticks; 0 if it is gone."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            fields = f.read().rsplit(')', 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


def children(pid):
    out = subprocess.run(['pgrep', '-P', str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


def pid_file(path):
    try:
        with open(path) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def components(sc, system):
    """Component name -> PIDs whose CPU is counted for it (a daemon's workers included)."""
    ovs = [int(p) for p in subprocess.run(['pgrep', '-x', 'ovs-vswitchd'], capture_output=True, text=True).stdout.split()]
    nginx, haproxy = [], []
    for j in range(1, sc.nodes + 1):
        master = pid_file(os.path.join(sc.node_dir(j), 'nginx.pid'))
        if master:
            nginx += [master] + children(master)
        if system == 'HAProxy':
            p = pid_file(os.path.join(sc.node_dir(j), 'haproxy.pid'))
            if p:
                haproxy.append(p)
    agents = [sc.agent_pid(j) for j in range(1, sc.nodes + 1) if sc.agent_pid(j)] if system != 'HAProxy' else []
    return {'OVS': ovs, 'controller': controller_pids(sc), 'agents': agents, 'nginx': nginx, 'HAProxy': haproxy}


def controller_pids(sc):
    """The standalone controller's process; ONOS's process group (Karaf's script and its JVM) and the switch-host agent."""
    if sc.controller.name == 'standalone':
        return [sc.controller.proc.pid]
    group = subprocess.run(['pgrep', '-g', str(sc.controller.onos.proc.pid)], capture_output=True, text=True).stdout
    agent = sc.controller.switch_host_agent
    return [int(p) for p in group.split()] + ([agent.proc.pid] if agent is not None and agent.proc else [])


def cpu_seconds(groups):
    return {name: sum(ticks(p) for p in pids) / CLK_TCK for name, pids in groups.items()}


def machine_busy_seconds():
    with open('/proc/stat') as f:
        cpu = [int(x) for x in f.readline().split()[1:]]
    return (sum(cpu) - cpu[3] - cpu[4]) / CLK_TCK  # all but idle and iowait


def wrk(sc, workload, seconds):
    """requests/s and wrk's error line (empty if none)."""
    paths, keep_alive = WORKLOADS[workload]
    script = os.path.join(sc.workdir, workload + '.lua')
    with open(script, 'w') as f:
        f.write(WRK_SCRIPT % {'paths': ', '.join('"%s"' % p for p in paths), 'close': 'false' if keep_alive else 'true'})
    out = sc.client(1).cmd('wrk -t2 -c%d -d%ds --timeout 10s -s %s http://%s/' % (CONNECTIONS, seconds, script, topo.VIP))
    found = re.search(r'Requests/sec:\s+([\d.]+)', out)
    if not found:
        raise RuntimeError('wrk gave no result for %s:\n%s' % (workload, out))
    errors = ' '.join(m.strip() for m in re.findall(r'(Socket errors:.*|Non-2xx.*)', out))
    return float(found.group(1)), errors


def measure(sc, system, workload):
    """One measured run: requests/s, errors, handoffs, and CPU seconds per component and for the machine."""
    groups = components(sc, system)
    before, busy_before, m_before = cpu_seconds(groups), machine_busy_seconds(), sc.metrics()
    rps, errors = wrk(sc, workload, SECONDS)
    after, busy_after, m_after = cpu_seconds(groups), machine_busy_seconds(), sc.metrics()
    handoffs = m_after.get('handoffs_applied', 0) - m_before.get('handoffs_applied', 0)
    refused = sum(v - m_before.get(k, 0) for k, v in m_after.items() if k.startswith('handoffs_refused_')
                  or k == 'handoffs_unconfirmed')
    if refused:
        errors = ('%d handoffs refused or undone %s' % (refused, errors)).strip()
    cpu = {name: after[name] - before[name] for name in groups}
    cpu['machine'] = busy_after - busy_before
    return rps, errors, handoffs, cpu


def per(cpu, count):
    return ', '.join('%s %.2f' % (name, 1000 * s / count) for name, s in cpu.items() if s > 0) if count else '-'


def main():
    print('wrk, %d connections, %d s per run, %d rounds; CPU in ms per request (and per handoff):'
          % (CONNECTIONS, SECONDS, ROUNDS), flush=True)
    results = {}  # (system, workload) -> [requests/s per round]
    handing = {}  # (system, workload) -> [(handoffs/s, machine CPU ms per handoff) per round]
    with Scenario(tempfile.mkdtemp(prefix='tcpsplice-dispatch-'), clients=1, nodes=3, agents=True, offload=True,
                  controller=CONTROLLER, log=lambda m: None) as sc:
        # wrk's host reuses its ports in TIME-WAIT (timestamps make it safe): one client host opening
        # 2,000 connections a second to one VIP:port otherwise has half its ports (the even ones,
        # which connect() tries first) in TIME-WAIT within a few turns, and every connect() then
        # searched them: Connection: close ran at 250 req/s instead of 2,000, whichever system's turn
        # it was (docs/benchmarks/2026-12-08.md). Real clients come from many addresses.
        sc.client(1).cmd('sysctl -qw net.ipv4.tcp_tw_reuse=1')
        for j in range(1, sc.nodes + 1):
            for name, size in (('1k', 1024), ('100k', 100 * 1024)):
                sc.write_file(j, name, size, 'node%d %s' % (j, name))
                for prefix in ('a', 'b', 'c'):
                    sc.write_file(j, '%s/%s' % (prefix, name), size, '%s %s' % (prefix, name))
        # First, while no client port has a steering flow left from wrk's connections (steering the
        # next connection to a node counts the connections that reach the controller).
        first_byte = None
        if 'always' in SYSTEMS:
            sc.front_ends('agents', **SYSTEM_SETTINGS['always'])
            handed, local = bench.first_bytes(sc)
            first_byte = (statistics.median(handed), statistics.median(local))
        for r in range(1, ROUNDS + 1):
            for system in SYSTEMS:
                settings = SYSTEM_SETTINGS[system]
                sc.front_ends('haproxy' if settings is None else 'agents', **(settings or {}))
                for workload in WORKLOADS:
                    wrk(sc, workload, WARM_UP_SECONDS)  # warm-up, not counted: caches and the agents' JIT
                for workload in WORKLOADS:
                    rps, errors, handoffs, cpu = measure(sc, system, workload)
                    results.setdefault((system, workload), []).append(rps)
                    if handoffs:
                        handing.setdefault((system, workload), []).append(
                            (handoffs / SECONDS, 1000 * cpu['machine'] / handoffs))
                    requests = rps * SECONDS
                    print('  round %d %-9s %-11s %8.0f req/s %6d handoffs  per request: %s; per handoff: %s %s'
                          % (r, system, workload, rps, handoffs, per(cpu, requests), per(cpu, handoffs), errors),
                          flush=True)
    print('median requests/s; each against HAProxy in the same round: median (lowest-highest):')
    for workload in WORKLOADS:
        theirs = results[('HAProxy', workload)]
        for system in SYSTEMS:
            if system == 'HAProxy':
                continue
            ours = results[(system, workload)]
            ratios = [o / t for o, t in zip(ours, theirs)]
            print('  %-11s %-9s %8.0f  HAProxy %8.0f  ratio %.2f (%.2f-%.2f)'
                  % (workload, system, statistics.median(ours), statistics.median(theirs),
                     statistics.median(ratios), min(ratios), max(ratios)))
    targets(results, handing, first_byte)
    return 0


def targets(results, handing, first_byte):
    """Issue 18's targets against this run's medians: met or not, with the value measured."""
    def verdict(ok):
        return 'met' if ok else 'NOT met'
    print("issue 18's targets, this run's medians:")
    if 'tcpsplice' in SYSTEMS:
        for workload in WORKLOADS:
            ratio = statistics.median(o / t for o, t in zip(results[('tcpsplice', workload)], results[('HAProxy', workload)]))
            print('  %-11s default settings >= 1.0x HAProxy: %.2f, %s' % (workload, ratio, verdict(ratio >= 1.0)))
    for workload, (paths, keep_alive) in WORKLOADS.items():
        rounds = handing.get(('always', workload))
        if rounds and (len(paths) > 1 or not keep_alive):  # one class: a connection is handed off once
            rate = statistics.median(r for r, _ in rounds)
            cost = statistics.median(c for _, c in rounds)
            print('  %-11s forced handoffs: %.2f ms of machine CPU each (<= 1 ms: %s), %.0f/s (>= 2,000: %s)'
                  % (workload, cost, verdict(cost <= 1.0), rate, verdict(rate >= 2000)))
    if first_byte:
        handed, local = first_byte
        print('  first byte of a handed-off request, p50, %d fresh keep-alive connections after %d not counted: '
              '%.1f ms against %.1f served locally, +%.1f ms (<= +1.5 ms: %s)'
              % (bench.HANDOFFS, bench.WARM_UP_HANDOFFS, handed, local, handed - local, verdict(handed - local <= 1.5)))


if __name__ == '__main__':
    sys.exit(main())
