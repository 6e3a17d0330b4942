"""pytest fixtures for the end-to-end tests: one real network (OVS + Mininet + controller + nginx) per module."""

import os
import subprocess
import sys
import tempfile

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from scenario import Scenario  # noqa: E402


# Every end-to-end test runs in four modes: the standalone controller on the slow path only, the same
# with the XDP fast path attached, and ONOS 2.7.0 with the tcpsplice app (ONOS's reactive forwarding
# active beside it) on the slow path and with the fast path (its map written by the switch-host agent).
# A fifth, onos-cluster (three ONOS instances), runs the cluster's own tests (test_cluster.py).
# TCPSPLICE_E2E_MODES (comma-separated) picks some of them.
CHOSEN = [m for m in os.environ.get('TCPSPLICE_E2E_MODES', 'slow-path,offload,onos,onos-offload,onos-cluster').split(',')
          if m]
MODES = [m for m in CHOSEN if m != 'onos-cluster']
CLUSTER_MODES = [m for m in CHOSEN if m == 'onos-cluster']
SETTINGS = {'slow-path': dict(offload=False), 'offload': dict(offload=True),
            'onos': dict(offload=False, controller='onos'), 'onos-offload': dict(offload=True, controller='onos')}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test's switch flows and controller thread dump, taken while the network still runs (a
    stalled sweep or a blocked thread shows only there): the flows and, in the report, the stacks of
    tcpsplice's threads (a missing sweep thread is news too) and of threads in its code; the whole dump
    in the scenario's folder."""
    outcome = yield
    report = outcome.get_result()
    if report.when != 'call' or not report.failed:
        return
    for sc in item.funcargs.values():
        if isinstance(sc, Scenario):
            try:  # a rule missing from the switch shows here (ONOS once lost its standing rules)
                report.sections.append(('switch flows', '\n'.join(sc.dump_flows())))
            except (OSError, subprocess.SubprocessError) as e:
                report.sections.append(('switch flows', 'no flow dump: %s' % e))
            path = os.path.join(sc.workdir, 'threads-%s.txt' % item.name.replace('/', '_'))
            try:
                dumped = sc.controller.thread_dump(path)
            except (OSError, subprocess.SubprocessError) as e:
                report.sections.append(('controller threads', 'no thread dump: %s' % e))
                continue
            if dumped:
                with open(dumped) as f:
                    ours = [t for t in f.read().split('\n\n') if 'splice' in t]  # its threads, and threads in its code
                report.sections.append(('controller threads', 'thread dump: %s\n%s' % (dumped, '\n\n'.join(ours))))


def mode_settings(request):
    return SETTINGS[request.param]


@pytest.fixture(scope='module', params=MODES)
def scenario(request):
    """Clients and nodes with nginx serving port 80 directly: the VIP front end alone."""
    workdir = tempfile.mkdtemp(prefix='tcpsplice-e2e-')
    with Scenario(workdir, clients=2, nodes=3, **mode_settings(request)) as sc:
        yield sc


@pytest.fixture(scope='module', params=MODES)
def short_idle(request):
    """The full system with the splices' idle timeout cut from 300 s to 4 s (linger 2 s)."""
    workdir = tempfile.mkdtemp(prefix='tcpsplice-e2e-idle-')
    with Scenario(workdir, clients=1, nodes=3, agents=True, teardown=(4, 2), **mode_settings(request)) as sc:
        yield sc


@pytest.fixture(scope='module', params=MODES)
def spliced(request):
    """The full system: node agents on port 80 in front of nginx, handing connections off."""
    workdir = tempfile.mkdtemp(prefix='tcpsplice-e2e-agents-')
    with Scenario(workdir, clients=2, nodes=3, agents=True, **mode_settings(request)) as sc:
        yield sc


@pytest.fixture(scope='module', params=CLUSTER_MODES)
def cluster(request):
    """The full system (agents, slow path) under an ONOS cluster: three instances, the switch connected to each."""
    workdir = tempfile.mkdtemp(prefix='tcpsplice-e2e-cluster-')
    with Scenario(workdir, clients=1, nodes=3, agents=True, controller='onos-cluster') as sc:
        yield sc
