"""The demo (the README's first command) runs to the end in every mode and shows what it says it shows:
the 10 MB download byte-exact, and the open splice's six tuples held by the switch (the fast path's map,
or the slow path's rules). It builds its own network, so it runs before the modules with fixtures."""

import os
import subprocess
import sys

import pytest

from conftest import MODES

DEMO = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'demo.py')


@pytest.mark.parametrize('mode', MODES)
def test_the_demo_runs_to_the_end(mode):
    args = [sys.executable, DEMO] + {'slow-path': ['--slow-path'], 'offload': [], 'onos': ['--onos', '--slow-path'],
                                     'onos-offload': ['--onos']}[mode]
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    assert 'sha256 matches' in out, out
    step4 = out.split('\n4. ', 1)[1].split('\n5. ', 1)[0]
    if mode in ('offload', 'onos-offload'):
        assert 'Mode: XDP fast path' in out, out
        held = [line.split()[-1] for line in step4.splitlines() if ' -> ' in line]
        assert sorted(held) == ['retired'] * 3 + ['tag'] + ['translate'] * 2, step4
        assert 'priority=45000' in step4, step4
    else:
        assert step4.count('priority=40000') == 6, step4
