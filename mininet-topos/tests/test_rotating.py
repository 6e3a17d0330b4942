"""Many keep-alive connections whose requests rotate over every node's content, for long enough that a
state which grows with each handoff or relay shows: the controller's splices and fast-path entries, and
each agent's open sockets. Run with the fast path only (the deployments the benchmarks measure; on the
slow path every spliced packet is a packet-in, and the run would take CI's time for little more)."""

import json
import os
import subprocess
import tempfile
import time

import pytest

import splice_topo as topo
from conftest import MODES, SETTINGS
from scenario import Scenario

CLIENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'rotating_client.py')
CONNECTIONS = 200
SECONDS = 30
SAMPLE_EVERY = 5
FAST_PATH_MODES = [m for m in MODES if SETTINGS[m]['offload']]


@pytest.fixture(scope='module', params=FAST_PATH_MODES)
def rotating(request):
    with Scenario(tempfile.mkdtemp(prefix='tcpsplice-e2e-rotating-'), clients=1, nodes=3, agents=True,
                  **SETTINGS[request.param]) as sc:
        yield sc


def open_files(pid):
    return len(os.listdir('/proc/%d/fd' % pid))


def rss_mib(pid):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) // 1024
    return 0


def sample(sc):
    m = sc.metrics(quiet=True)
    agents = {j: sc.hosts.agent_pid(j) for j in range(1, sc.nodes + 1)}
    return {'splices': m.get('splices', 0), 'fast_path_entries': m.get('fast_path_entries', 0),
            'handoffs': m.get('handoffs_applied', 0),
            'agent_files': {j: open_files(p) for j, p in agents.items()},
            'agent_rss_mib': {j: rss_mib(p) for j, p in agents.items()}}


# The agents' default, and 'always' (a handoff for every request for another node: about a thousand
# a second here, each connection handed off a hundred times or more).
DISPATCH = os.environ.get('TCPSPLICE_E2E_ROTATING_DISPATCH', 'adaptive,always').split(',')


@pytest.mark.parametrize('dispatch', DISPATCH)
def test_two_hundred_rotating_connections_for_thirty_seconds_lose_nothing_and_hold_bounded_state(rotating, dispatch):
    """Every body checked; the state sampled every 5 s must not grow between the first sample after
    warm-up and the last (it may only follow the connections in flight). The agents' memory (RSS) is
    logged, not checked: a JVM's heap grows toward its limit before it collects."""
    sc = rotating
    for j in range(1, sc.nodes + 1):
        sc.hosts.stop_agent(j)
        sc.hosts.start_agent(j, dispatch=dispatch)
    idle_files = agents_open_files(sample(sc))
    client = sc.client(1).popen(['python3', CLIENT, topo.VIP, str(CONNECTIONS), str(SECONDS)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    samples = []
    try:
        while client.poll() is None and len(samples) < SECONDS // SAMPLE_EVERY:
            time.sleep(SAMPLE_EVERY)
            samples.append(sample(sc))
        out, err = client.communicate(timeout=SECONDS + 60)
    finally:
        if client.poll() is None:
            client.kill()
    sc.log('rotating (%s): %s' % (dispatch, json.dumps(samples)))
    assert client.returncode == 0, err
    result = json.loads(out)
    sc.log('rotating (%s): %s' % (dispatch, out.strip()))
    assert result['socket_errors'] == 0 and result['non_2xx'] == 0 and result['wrong'] == 0, result
    assert result['fewest_per_connection'] >= 4, 'every connection went round its paths at least once: %s' % result
    # samples[0] is the warm-up, while connections open. Each half's highest sample is compared. Open
    # files are summed over the agents: a connection's sockets sit at whichever nodes it passed through
    # last, so one node's count swings with where the 200 connections happen to be. An agent closes a
    # released socket at its next poll (HeldSockets.POLL_SECONDS), so its open files also follow its
    # handoff rate (two per handoff for the second or two until the poll), which rises through the run
    # as the JVMs compile: the late half may hold one more file for each more handoff in a sample's
    # 5 s window. A leak grows with every handoff made, the rate's share only with the latest seconds'.
    half = len(samples) // 2 + 1
    early, late = samples[1:half], samples[half:]
    per_window = [b['handoffs'] - a['handoffs'] for a, b in zip(samples, samples[1:])]  # before samples[1:]
    rate_rise = max(0, max(per_window[half - 1:]) - max(per_window[:half - 1]))
    grew = []
    for name, value, allowance in [('splices', lambda s: s['splices'], 0),
                                   ('fast_path_entries', lambda s: s['fast_path_entries'], 0),
                                   ('agents\' open files', agents_open_files, rate_rise)]:
        before, after = max(value(s) for s in early), max(value(s) for s in late)
        if after > before * 1.25 + 20 + allowance:
            grew.append('%s %d -> %d' % (name, before, after))
    assert not grew, 'state grew with the run (%d handoffs, %s a window): %s' % (
        samples[-1]['handoffs'], per_window, grew)
    # Once the connections are gone, their splices end (after the controller's close linger) and the
    # agents close every socket they held: back to what they had open before the run.
    deadline = time.time() + 60
    while agents_open_files(sample(sc)) > idle_files + 20 * sc.nodes and time.time() < deadline:
        time.sleep(1)
    files = agents_open_files(sample(sc))
    assert files <= idle_files + 20 * sc.nodes, \
        'the agents hold %d files 60 s after the run, %d before it' % (files, idle_files)


def agents_open_files(s):
    return sum(s['agent_files'].values())
