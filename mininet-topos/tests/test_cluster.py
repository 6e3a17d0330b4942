"""The app in an ONOS 2.7 cluster: three instances on three storage nodes, the switch (OVS in Mininet)
connected to all of them, node agents given every instance's API. Only the device's master programs
the switch and takes handoffs; the others' tables follow ONOS's distributed store. Killing the master
(SIGKILL, as a crash) in the middle of a spliced download must lose neither the download nor the splice,
and the next handoff must go to the new master. The slow path: every spliced packet is a packet-in at
the master, so the new master must translate them from the store's copy of the splice."""

import time

import splice_topo as topo
from harness.controllers import DEVICE, ONOS_APP_NAME

DOWNLOAD = 40 * 1024 * 1024
RATE = '4M'  # about ten seconds of download, the crash in its first quarter


def url(path):
    return 'http://%s%s' % (topo.VIP, path)


def splice_ids(sc, instance):
    status, body = sc.controller.api('splices', at=instance)
    assert status == 200, body
    return {s['id'] for s in body}


def test_the_app_runs_at_every_instance_and_only_the_master_programs_the_switch(cluster):
    ctl = cluster.controller
    master = ctl.cluster.master(DEVICE)
    assert master is not None
    for o in ctl.cluster.instances:
        assert o.app_state(ONOS_APP_NAME) == 'ACTIVE', o.host
        status, metrics = ctl.api('metrics', at=o)
        assert status == 200, metrics
        assert metrics['switch_connected'] == (o is master), (o.host, master.host, metrics)
    roles = ctl.roles()
    assert len(roles) == 3 and all(connected for _, connected in roles.values()), roles
    assert [t for t, (role, _) in roles.items() if role == 'master'] == ['tcp:%s:6653' % master.host], roles


def test_a_spliced_download_survives_the_masters_crash_and_the_new_master_takes_handoffs(cluster):
    sc = cluster
    ctl = sc.controller
    digest = sc.write_file(2, 'b/failover', DOWNLOAD, 'forty megabytes through a failover')
    sc.steer_next_connection_to(1)
    old = ctl.cluster.master(DEVICE)
    download = sc.client(1).popen(['curl', '-s', '-m', '120', '--limit-rate', RATE, '-o', '/tmp/tcpsplice-failover.bin',
                                   url('/b/failover')])
    try:
        # node1 hands the connection to node2; every instance learns the splice from the store.
        sc.wait_for(lambda: len(splice_ids(sc, old)) == 1, 10, 'the handoff')
        spliced = splice_ids(sc, old)
        for o in ctl.cluster.instances:
            sc.wait_for(lambda: splice_ids(sc, o) == spliced, 10, 'the splice in the store at %s' % o.host)
        sc.wait_for(lambda: sc.client(1).cmd('stat -c %s /tmp/tcpsplice-failover.bin 2>/dev/null').strip().isdigit()
                    and int(sc.client(1).cmd('stat -c %s /tmp/tcpsplice-failover.bin').strip()) > 2 * 1024 * 1024,
                    10, 'the download to be under way')
        killed_at = time.time()
        ctl.kill_master()
        sc.wait_for(lambda: ctl.cluster.master(DEVICE) not in (None, old), 60, 'a new master')
        new = ctl.cluster.master(DEVICE)
        sc.log('cluster: %s is master %.1f s after %s was killed' % (new.host, time.time() - killed_at, old.host))
        assert download.poll() is None, 'the download is still going when the new master takes over'
        assert splice_ids(sc, new) == spliced, 'the new master has the splice'
        sc.wait_for(lambda: ctl.api('metrics', at=new)[1].get('switch_connected'), 30, 'the new master to program the switch')
        assert download.wait(120) == 0, 'the download went on through the crash'
    finally:
        if download.poll() is None:
            download.kill()
    out = sc.client(1).cmd('sha256sum /tmp/tcpsplice-failover.bin')
    assert out.split()[0] == digest, '40 MB byte-exact through the splice, its master killed in the middle'
    translated = ctl.api('metrics', at=new)[1].get('verdict_IN_RANGE', 0)
    assert translated > 0, 'the new master translated the rest of the download'

    # The next handoff goes to the new master, through the agents' list of instances.
    small = sc.write_file(2, 'b/after', 256 * 1024, 'handed off after the failover')
    before = ctl.api('metrics', at=new)[1].get('handoffs_applied', 0)
    sc.steer_next_connection_to(1)
    out = sc.client(1).cmd('curl -s -m 30 %s | sha256sum' % url('/b/after'))
    assert out.split()[0] == small, out
    assert ctl.api('metrics', at=new)[1].get('handoffs_applied', 0) == before + 1
