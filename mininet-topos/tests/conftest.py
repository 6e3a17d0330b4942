"""pytest fixtures for the end-to-end tests: one real network (OVS + Mininet + controller + nginx) per module."""

import os
import sys
import tempfile

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from scenario import Scenario  # noqa: E402


# Every end-to-end test runs in both modes: the slow path only, and with the XDP fast path attached.
MODES = ['slow-path', 'offload']


@pytest.fixture(scope='module', params=MODES)
def scenario(request):
    """Clients and nodes with nginx serving port 80 directly: the VIP front end alone."""
    workdir = tempfile.mkdtemp(prefix='tcpsplice-e2e-')
    with Scenario(workdir, clients=2, nodes=3, offload=request.param == 'offload') as sc:
        yield sc


@pytest.fixture(scope='module', params=MODES)
def short_idle(request):
    """The full system with the splices' idle timeout cut from 300 s to 4 s (linger 2 s)."""
    workdir = tempfile.mkdtemp(prefix='tcpsplice-e2e-idle-')
    with Scenario(workdir, clients=1, nodes=3, agents=True, offload=request.param == 'offload',
                  teardown=(4, 2)) as sc:
        yield sc


@pytest.fixture(scope='module', params=MODES)
def spliced(request):
    """The full system: node agents on port 80 in front of nginx, handing connections off."""
    workdir = tempfile.mkdtemp(prefix='tcpsplice-e2e-agents-')
    with Scenario(workdir, clients=2, nodes=3, agents=True, offload=request.param == 'offload') as sc:
        yield sc
