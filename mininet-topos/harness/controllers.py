"""The two controllers a scenario can run, behind one interface: the standalone controller (a Java
process the harness starts with a generated configuration) and ONOS with the tcpsplice app (a live
ONOS 2.7.0 built by onos-live/, the app installed from its .oar through ONOS's REST API, ONOS's
OpenFlow suite and its reactive forwarding app active beside it).

Both serve the same REST API; the tests speak to it through api(), with the standalone controller's
credentials (an admin token, one token per node), which OnosController maps to ONOS accounts.
"""

import json
import os
import sys

import splice_topo as topo
from harness import processes

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, 'onos-live'))

from onos_process import OnosProcess, basic, http_call as http  # noqa: E402

MGMT_ROOT_IP = topo.MGMT_NET + '254'
OPENFLOW_PORT = 6653
REST_PORT = 8181
ADMIN_TOKEN = 'admin-token-for-the-tests-0123456789'
# Where dataplane/xdp-offload.sh pins the fast path's map.
FAST_PATH_MAP = '/sys/fs/bpf/tcpsplice/maps/splice_entries'
ONOS_APP = os.path.join(REPO, 'onos-app', 'target', 'onos-app-0.1.0-SNAPSHOT.oar')
ONOS_APP_NAME = 'org.tcpsplice.app'
# The app's component, whose properties (`cfg set`) hold its policy and timers.
ONOS_COMPONENT = 'org.tcpsplice.onos.impl.SpliceManager'
# Mininet's s1; ONOS names devices by their datapath id.
DEVICE = 'of:0000000000000001'


# The switch-host agent (the fast path under ONOS) on the switch host, which here is the root namespace.
SWITCH_HOST_AGENT = '127.0.0.1:6680'
# The launchers (C1 only unless TCPSPLICE_CONTROLLER_JAVA_OPTS says otherwise).
CONTROLLER_LAUNCHER = os.path.join(REPO, 'scripts', 'controller.sh')
SWITCH_HOST_AGENT_LAUNCHER = os.path.join(REPO, 'scripts', 'switch-host-agent.sh')


def node_token(j):
    return 'node%d-secret-token-0123456789' % j


class SwitchHostAgent:
    """The switch-host agent (controller/.../switchagent): writes the XDP map for ONOS, which signs every
    change with the secret in the scenario's folder."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.secret_file = os.path.join(workdir, 'fast-path.secret')
        self.proc = None

    def write_secret(self):
        fd = os.open(self.secret_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, 'w') as f:
            f.write(os.urandom(32).hex() + '\n')

    def start(self):
        if not os.path.exists(self.secret_file):
            self.write_secret()
        self.proc = processes.start(
            ['bash', SWITCH_HOST_AGENT_LAUNCHER, '--secret-file', self.secret_file, '--listen', SWITCH_HOST_AGENT, '--map', FAST_PATH_MAP],
            os.path.join(self.workdir, 'switch-host-agent.log'))

    def instance(self):
        """The running agent's instance id, or None while it does not answer."""
        try:
            status, text = http('http://%s/fastpath/v1/instance' % SWITCH_HOST_AGENT)
        except OSError:
            return None
        return text.split()[-1] if status == 200 else None

    def stop(self):
        if self.proc is not None:
            processes.stop(self.proc)
            self.proc = None

    def restart(self):
        self.stop()
        self.start()


class StandaloneController:
    """controller/: one Java process with a JSON configuration, its journal in the scenario's folder."""
    name = 'standalone'
    api_base = 'http://%s:%d/tcpsplice/v1/' % (MGMT_ROOT_IP, REST_PORT)

    def __init__(self, scenario):
        self.sc = scenario
        self.proc = None

    def config(self):
        sc = self.sc
        teardown = {} if sc.teardown is None else {'idleTimeoutSeconds': sc.teardown[0],
                                                   'closeLingerSeconds': sc.teardown[1]}
        return dict(teardown, **{
            'openflow': '127.0.0.1:%d' % OPENFLOW_PORT,
            'rest': '%s:%d' % (MGMT_ROOT_IP, REST_PORT),
            'adminToken': ADMIN_TOKEN,
            'service': {'vip': topo.VIP, 'port': 80, 'mac': topo.VIP_MAC},
            'policy': sc.policy,
            'store': os.path.join(sc.workdir, 'splices.journal'),
            'fastPathMap': FAST_PATH_MAP if sc.offload else '',
            'nodes': [{'id': 'node%d' % j, 'ip': topo.node_ip(j), 'mac': topo.node_mac(j),
                       'switchPort': sc.clients + j, 'token': node_token(j)} for j in range(1, sc.nodes + 1)],
        })

    def start(self):
        config = os.path.join(self.sc.workdir, 'controller.json')
        with open(config, 'w') as f:
            json.dump(self.config(), f, indent=2)
        self.proc = processes.start(
            ['bash', CONTROLLER_LAUNCHER, '--config', config],
            self.log_path())

    def stop(self):
        if self.proc is None:
            return
        processes.stop(self.proc)
        self.proc = None

    def restart(self):
        """The process ends (SIGTERM) and starts again with the same journal."""
        self.stop()
        self.start()

    def crash(self):
        """The process is killed (SIGKILL) and starts again with the same journal."""
        processes.kill(self.proc)
        self.start()

    def log_path(self):
        return os.path.join(self.sc.workdir, 'controller.log')

    def exited(self):
        return self.proc is not None and self.proc.poll() is not None

    def thread_dump(self, path):
        return processes.thread_dump(self.proc.pid, path) if self.proc is not None else None

    def api(self, path, method='GET', body=None, token=ADMIN_TOKEN, headers=None):
        return http(self.api_base + path, method, body, 'Bearer ' + token if token else None, headers=headers)

    def agent_api(self):
        return {'controller': self.api_base}

    def agent_credentials(self, j, token=None):
        return {'token': token or node_token(j)}


class OnosController:
    """ONOS 2.7.0 with the tcpsplice app, configured through ONOS's network configuration."""
    name = 'onos'
    api_base = 'http://%s:%d/onos/tcpsplice/' % (MGMT_ROOT_IP, REST_PORT)

    def __init__(self, scenario):
        self.sc = scenario
        self.onos = OnosProcess(scenario.workdir, log=scenario.log,
                                started=lambda pid: processes.remember(pid, group=True), stopped=processes.forget)
        self.switch_host_agent = SwitchHostAgent(scenario.workdir) if scenario.offload else None

    @staticmethod
    def password(j):
        return 'node%d-password' % j

    def app_config(self):
        sc = self.sc
        config = {
            'device': DEVICE, 'vip': topo.VIP, 'port': 80, 'vipMac': topo.VIP_MAC,
            'nodes': [{'id': 'node%d' % j, 'ip': topo.node_ip(j), 'mac': topo.node_mac(j), 'switchPort': sc.clients + j}
                      for j in range(1, sc.nodes + 1)],
        }
        if self.switch_host_agent is not None:
            config['fastPathAgent'] = {'url': 'http://' + SWITCH_HOST_AGENT,
                                       'secretFile': self.switch_host_agent.secret_file}
        return config

    def component_properties(self):
        """The scenario's teardown times and policy as the app's component properties (OsgiPropertyConstants)."""
        sc = self.sc
        props = {'policy': sc.policy}
        if sc.teardown is not None:
            props.update(idleTimeoutSeconds=str(sc.teardown[0]), closeLingerSeconds=str(sc.teardown[1]))
        return props

    def set_component_properties(self):
        """True once ONOS took them. The app is ACTIVE before its component has registered its
        properties; until then ONOS answers 207 (component not registered)."""
        status, _ = self.onos.rest('v1/configuration/' + ONOS_COMPONENT, 'POST', json.dumps(self.component_properties()))
        return status == 200

    def start(self):
        if self.switch_host_agent is not None:
            self.switch_host_agent.start()
        self.onos.prepare()
        for j in range(1, self.sc.nodes + 1):
            self.onos.add_user('node%d' % j, self.password(j))
        self.onos.start()
        # ONOS 2.7.0's ovs driver matches only OVS 2.x; OVS 3.1 would get the default driver.
        self.onos.netcfg({'devices': {DEVICE: {'basic': {'driver': 'ovs'}}},
                          'apps': {ONOS_APP_NAME: {'tcpsplice': self.app_config()}}})
        self.onos.install_app(ONOS_APP)
        self.onos.wait_for(self.set_component_properties, 30, "the app's component properties to be taken")

    def stop(self):
        self.onos.stop()
        if self.switch_host_agent is not None:
            self.switch_host_agent.stop()

    def restart(self):
        """The app deactivated and activated again: its splices come back from ONOS's distributed store."""
        self.onos.set_app_active(ONOS_APP_NAME, False)
        self.onos.set_app_active(ONOS_APP_NAME, True)

    def log_path(self):
        return os.path.join(self.onos.home or self.sc.workdir, 'data', 'log', 'karaf.log')

    def exited(self):
        return self.onos.proc is not None and self.onos.proc.poll() is not None

    def thread_dump(self, path):
        return processes.thread_dump(self.onos.proc.pid, path, group=True) if self.onos.proc is not None else None

    def credentials(self, token):
        """The standalone controller's credentials as ONOS accounts: the admin token is ONOS's admin, a node's
        token its account, anything else a login that fails."""
        if token is None:
            return None
        if token == ADMIN_TOKEN:
            return basic('onos', 'rocks')
        for j in range(1, self.sc.nodes + 1):
            if token == node_token(j):
                return basic('node%d' % j, self.password(j))
        return basic('nobody', token)

    def api(self, path, method='GET', body=None, token=ADMIN_TOKEN, headers=None):
        return http(self.api_base + path, method, body, self.credentials(token), headers=headers)

    def agent_api(self):
        return {'controller': self.api_base}

    def agent_credentials(self, j, token=None):
        return {'controllerLogin': 'node%d:%s' % (j, self.password(j) if token is None else token)}


from harness.cluster_controller import OnosClusterController  # noqa: E402 (it builds on OnosController)

CONTROLLERS = {'standalone': StandaloneController, 'onos': OnosController, 'onos-cluster': OnosClusterController}
