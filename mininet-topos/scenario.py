"""The scenario the demo, the end-to-end tests and the benchmarks run: the network (harness/network.py),
a controller (harness/controllers.py: the standalone one, or ONOS with the tcpsplice app) and what runs
on each node (harness/front_ends.py), started together and torn down together.
Run with the system Python (/usr/bin/python3), as root.
"""

import contextlib
import os

import splice_topo as topo
from harness import waiting
from harness.controllers import ADMIN_TOKEN, CONTROLLERS, FAST_PATH_MAP, node_token  # noqa: F401 (demo, tests)
from harness.front_ends import FrontEnds
from harness.network import Network, cleanup_quietly
from harness.processes import tail


class Scenario:
    """One network with its controller and nodes. Use as a context manager."""

    def __init__(self, workdir, clients=1, nodes=3, policy='round-robin', agents=False, offload=False, haproxy=False,
                 teardown=None, controller='standalone', log=print):
        """agents: node agents on port 80 hand connections off by the content rules.
        offload: the XDP fast path on the switch's ports (else every spliced packet is the controller's).
        haproxy: instead of agents, HAProxy on every node's port 80 routes the same content rules to the
        nodes' nginx (the L7-proxy design this system is compared with; no splices).
        teardown: (idle timeout, close linger) of the controller's splices, in seconds; None: its defaults.
        controller: 'standalone' (controller/), 'onos' (ONOS 2.7.0 with the app, built by onos-live/) or
        'onos-cluster' (three ONOS instances, the slow path only)."""
        assert not (agents and haproxy), 'a node runs either the agent or HAProxy on port 80'
        self.workdir = workdir
        self.agents = agents
        self.haproxy = haproxy
        self.offload = offload
        self.clients = clients
        self.nodes = nodes
        self.policy = policy
        self.teardown = teardown
        self.log = log
        self.network = Network(clients, nodes, log)
        self.controller = CONTROLLERS[controller](self)
        self.hosts = FrontEnds(self.network, workdir, nodes, agents or haproxy, self.controller, self.wait_for)

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        os.makedirs(self.workdir, exist_ok=True)
        os.chmod(self.workdir, 0o755)  # nginx's workers (www-data) read the nodes' content from here
        self.network.start()
        for j in range(1, self.nodes + 1):
            self.hosts.setup_node(j)
        if self.offload:
            self.network.attach_fast_path()
        self.controller.start()
        self.wait_for(lambda: self.metrics(quiet=True).get('switch_connected'), 60, 'the switch to connect to the controller')
        for j in range(1, self.nodes + 1):
            if self.agents:
                self.hosts.start_agent(j)
            if self.haproxy:
                self.hosts.start_haproxy(j)
        self.log('scenario: %d clients, %d nodes, %s controller up, switch connected, fast path %s'
                 % (self.clients, self.nodes, self.controller.name, self.metrics().get('fast_path')))

    def stop(self):
        if self.network.net is not None:
            self.hosts.stop_all()
        self.network.stop()
        self.controller.stop()
        cleanup_quietly(self.log)

    # ------------------------------------------------------------------ the network

    def client(self, i=1):
        return self.network.client(i)

    def node(self, j):
        return self.network.node(j)

    def xdp_ports(self, action):
        return self.network.xdp_ports(action)

    def dump_flows(self):
        return self.network.dump_flows()

    # ------------------------------------------------------------------ the controller

    def restart_controller(self):
        """The standalone controller's process anew (same journal); under ONOS, the app deactivated and
        activated again (its splices come back from ONOS's store)."""
        self.controller.restart()
        self.wait_for(lambda: self.metrics(quiet=True).get('switch_connected'), 30, 'the switch to reconnect')

    def api(self, path, method='GET', body=None, token=ADMIN_TOKEN, headers=None):
        """Calls the REST API from the root namespace with the standalone controller's credentials (under ONOS:
        the matching accounts); returns (status, parsed JSON or text)."""
        return self.controller.api(path, method, body, token, headers)

    def metrics(self, quiet=False):
        """The controller's counters; {} (and, unless quiet, a log line saying why) while it cannot answer."""
        try:
            status, body = self.api('metrics')
            if status != 200 and not quiet:
                self.log('scenario: GET /metrics: %d %s' % (status, body))
            return body if status == 200 else {}
        except OSError as e:
            if not quiet:
                self.log('scenario: GET /metrics: %s' % e)
            return {}

    def steer_next_connection_to(self, j):
        """Makes the next new connection land on node j (round-robin) by spending connections on the others.
        A connection that reaches no controller (its port's flows from an earlier connection still in the
        switch) is not counted, so this tries up to twice round."""
        for _ in range(2 * self.nodes + 1):
            if self.metrics().get('new_connections', 0) % self.nodes + 1 == j:
                return
            self.client(self.clients).cmd('curl -s -m 5 http://%s/whoami > /dev/null' % topo.VIP)
        raise AssertionError('could not steer the next connection to node%d' % j)

    def wait_for(self, condition, seconds, what, every=0.2):
        """waiting.wait_for, failing at once (with its log's end) if the controller has exited."""
        def controller_exited():
            if self.controller.exited():
                return 'the controller exited; its log ends:\n%s' % tail(self.controller.log_path())
            return None
        waiting.wait_for(condition, seconds, what, every, abort=controller_exited)

    # ------------------------------------------------------------------ the nodes

    def node_dir(self, j):
        return self.hosts.node_dir(j)

    def nginx_socket(self, j):
        return self.hosts.nginx_socket(j)

    def start_web_server(self, j):
        self.hosts.start_web_server(j)

    def stop_web_server(self, j):
        self.hosts.stop_web_server(j)

    def write_file(self, j, name, size, seed):
        return self.hosts.write_file(j, name, size, seed)

    def agent_pid(self, j):
        return self.hosts.agent_pid(j)

    def restart_agent(self, j, **settings):
        """Node j's agent anew, with FrontEnds.start_agent's settings."""
        self.hosts.stop_agent(j)
        self.hosts.start_agent(j, **settings)

    @contextlib.contextmanager
    def agent_configured(self, j, **settings):
        """Node j's agent with these settings (FrontEnds.start_agent's) for the block, then with the defaults again."""
        self.restart_agent(j, **settings)
        try:
            yield
        finally:
            self.restart_agent(j)

    def front_ends(self, kind, handoff_port=None, unix_socket=True, **agent_settings):
        """Puts `kind` ('agents' or 'haproxy') on every node's port 80 in place of whatever is there, so
        that a benchmark can take turns between them on one network; agent_settings: FrontEnds.start_agent's."""
        for j in range(1, self.nodes + 1):
            self.hosts.stop_agent(j)
            self.hosts.stop_haproxy(j)
            if kind == 'agents':
                self.hosts.start_agent(j, handoff_port=handoff_port, unix_socket=unix_socket, **agent_settings)
            else:
                self.hosts.start_haproxy(j, unix_socket)
