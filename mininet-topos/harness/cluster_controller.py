"""ONOS as a cluster (onos-live/onos_cluster.py: three storage nodes, three ONOS 2.7.0 instances in
namespaces of their own) with the tcpsplice app: the switch connected to every instance, the app
installed at one (ONOS spreads it to the others), and the node agents given every instance's API,
each instance reachable from the management network through a second leg on m0.

The slow path only: a switch-host agent serves one controller instance (docs/fast-path.md).
"""

import json
import subprocess

import splice_topo as topo
from harness import processes
from harness.controllers import ADMIN_TOKEN, DEVICE, ONOS_APP, ONOS_APP_NAME, REST_PORT, OnosController
from onos_cluster import OnosCluster  # onos-live/, on the path since harness.controllers
from onos_process import http_call as http

# Instance i's leg on the management network: 10.255.0.20<i>.
MGMT_LEG = topo.MGMT_NET + '20'


class OnosClusterController(OnosController):
    name = 'onos-cluster'

    def __init__(self, scenario):
        assert not scenario.offload, 'the cluster runs on the slow path (one switch-host agent serves one instance)'
        self.sc = scenario
        self.switch_host_agent = None
        self.cluster = OnosCluster(scenario.workdir, log=scenario.log,
                                   started=lambda pid: processes.remember(pid, group=True), stopped=processes.forget)
        self.legs = []

    @property
    def onos(self):
        """The instance the harness talks to: the device's master, else any live instance."""
        live = self.cluster.live()
        return self.cluster.master(DEVICE) or (live[0] if live else self.cluster.instances[0])

    @property
    def api_base(self):
        return 'http://%s:%d/onos/tcpsplice/' % (self.onos.host, REST_PORT)

    def agent_api(self):
        return {'controllers': ['http://%s:%d/onos/tcpsplice/' % (ip, REST_PORT) for ip in self.legs]}

    def start(self):
        self.cluster.prepare()
        for o in self.cluster.instances:
            for j in range(1, self.sc.nodes + 1):
                o.add_user('node%d' % j, self.password(j))
        self.cluster.start()
        self.legs = self.cluster.attach('m0', MGMT_LEG)
        self.connect_switch()
        first = self.cluster.instances[0]
        # Network configuration and the app are the cluster's: given at one instance, every one has them.
        first.netcfg({'devices': {DEVICE: {'basic': {'driver': 'ovs'}}},
                      'apps': {ONOS_APP_NAME: {'tcpsplice': self.app_config()}}})
        first.install_app(ONOS_APP)
        for o in self.cluster.instances:
            o.wait_for(lambda: o.app_state(ONOS_APP_NAME) == 'ACTIVE', 120, 'the app to be active at %s' % o.host)
        first.wait_for(self.set_component_properties, 30, "the app's component properties to be taken")

    def connect_switch(self):
        """s1 to every instance, reconnecting within a second (OVS backs off up to 8 s by default)."""
        subprocess.run(['ovs-vsctl', 'set-controller', 's1'] + self.cluster.openflow_targets(), check=True)
        uuids = subprocess.run(['ovs-vsctl', 'get', 'bridge', 's1', 'controller'], capture_output=True, text=True,
                               check=True).stdout.strip('[] \n').split(', ')
        for uuid in uuids:
            subprocess.run(['ovs-vsctl', 'set', 'controller', uuid, 'max_backoff=1000'], check=True)

    def stop(self):
        self.cluster.stop()

    def kill_master(self):
        """SIGKILL to the device's master instance; returns it."""
        master = self.cluster.master(DEVICE)
        assert master is not None, 'no instance is the switch master'
        self.cluster.kill(master)
        return master

    def roles(self):
        """The switch's view: each controller target's role (master, slave, other) and whether it is connected."""
        out = subprocess.run(['ovs-vsctl', '--format=json', '--columns=target,role,is_connected', 'list', 'controller'],
                             capture_output=True, text=True, check=True).stdout
        return {row[0]: (row[1], row[2]) for row in json.loads(out)['data']}

    def restart(self):
        raise NotImplementedError('the cluster mode restarts no app; kill_master() ends an instance')

    def exited(self):
        """An instance ended that the harness did not kill (kill() forgets the ones it ends)."""
        return any(o.proc is not None and o.proc.poll() is not None for o in self.cluster.instances)

    def api(self, path, method='GET', body=None, token=ADMIN_TOKEN, headers=None, at=None):
        """The app's API at one instance (default: the device's master, else any live one)."""
        instance = at or self.onos
        return http('http://%s:%d/onos/tcpsplice/%s' % (instance.host, REST_PORT, path), method, body,
                    self.credentials(token), headers=headers)
