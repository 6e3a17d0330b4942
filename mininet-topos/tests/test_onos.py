"""What only the ONOS mode has: ONOS's own services around the app (hosts, drivers, app lifecycle,
Karaf's CLI). A live ONOS 2.7.0 (onos-live/) with its OpenFlow suite and reactive forwarding, OVS in
Mininet, node agents in front of nginx."""

import os
import tempfile

import pytest

import splice_topo as topo
from conftest import MODES
from keep_alive import keep_alive_client
from scenario import Scenario

pytestmark = pytest.mark.skipif('onos' not in MODES, reason='the onos mode is not selected (TCPSPLICE_E2E_MODES)')


@pytest.fixture(scope='module')
def onos():
    with Scenario(tempfile.mkdtemp(prefix='tcpsplice-e2e-onos-'), clients=1, nodes=3, agents=True,
                  controller='onos') as sc:
        yield sc


def test_the_switch_gets_onos_ovs_driver(onos):
    """ONOS 2.7.0's ovs driver matches only OVS 2.x; the harness names it in the network configuration."""
    status, device = onos.controller.onos.rest('v1/devices/of:0000000000000001')
    assert status == 200 and device['available'], device
    assert device['driver'] == 'ovs', device


def test_a_first_handoff_needs_no_host_entry_for_the_client(onos):
    """The client's MAC and port come from its SYN: with ONOS's host entry for the client gone (as after
    a switch reconnect), the handoff still reaches the client. Before, the splice pointed at MAC 0."""
    onos.steer_next_connection_to(1)
    go, answers = keep_alive_client(onos, '/a/who', '/b/who', 'no-host')
    onos.wait_for(lambda: answers() == ['node1 serves /a/who'], 20, 'the first response')
    rest = onos.controller.onos.rest
    status, hosts = rest('v1/hosts')
    client_hosts = [h for h in hosts['hosts'] if topo.client_ip(1) in h['ipAddresses']]
    assert client_hosts, 'ONOS had learnt the client: %s' % hosts
    for h in client_hosts:
        assert rest('v1/hosts/%s/%s' % (h['mac'], h['vlan']), 'DELETE')[0] in (200, 204)
    assert not [h for h in rest('v1/hosts')[1]['hosts'] if topo.client_ip(1) in h['ipAddresses']]
    before = onos.metrics().get('handoffs_applied', 0)
    go()
    onos.wait_for(lambda: len(answers()) == 2, 20, 'the handed-off response')
    assert answers() == ['node1 serves /a/who', 'node2 serves /b/who']
    assert onos.metrics().get('handoffs_applied', 0) == before + 1, 'handed off, not relayed (refused: client unknown)'


def test_the_apps_karaf_commands_list_show_and_remove_a_live_splice(onos):
    """tcpsplice-splices, tcpsplice-splice ID and tcpsplice-remove ID in ONOS's console (over SSH)."""
    onos.steer_next_connection_to(1)
    go, answers = keep_alive_client(onos, '/b/who', '/b/who', 'cli')
    onos.wait_for(lambda: answers() == ['node2 serves /b/who'], 20, 'the handed-off response')
    status, splices = onos.api('splices')
    (splice,) = [s for s in splices if s['clientKey'].startswith(topo.client_ip(1) + ':')
                 and s['state'] == 'open']
    cli = onos.controller.onos.cli
    code, listing = cli('tcpsplice-splices')
    assert code == 0 and splice['id'] in listing, listing
    code, shown = cli('tcpsplice-splice ' + splice['id'])
    assert code == 0 and splice['clientKey'] in shown and 'new_dst=%s:80' % topo.node_ip(2) in shown, shown
    code, refused = cli('tcpsplice-remove garbage')
    assert code != 0 and 'not \'garbage\'' in refused, refused
    code, removed = cli('tcpsplice-remove ' + splice['id'])
    assert code == 0, removed
    assert splice['id'] not in [s['id'] for s in onos.api('splices')[1]], 'the splice is gone from the REST API too'
    code, shown = cli('tcpsplice-splice ' + splice['id'])
    assert 'no splice' in shown, shown
