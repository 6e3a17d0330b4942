"""The scenario runner shared by the demo and the end-to-end tests.

Builds the SpliceTopo network on Open vSwitch (userspace datapath), starts a controller (the
standalone one, or ONOS with the tcpsplice app: controllers.py), gives every node the VIP on its
loopback (ARP suppressed) and an nginx with its own content, and tears it all down again.
Run with the system Python (/usr/bin/python3), as root.
"""

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import time

from mininet.log import setLogLevel
from mininet.net import Mininet
from mininet.node import OVSSwitch, RemoteController

import splice_topo as topo
from controllers import ADMIN_TOKEN, CONTROLLERS, FAST_PATH_MAP, MGMT_ROOT_IP, OPENFLOW_PORT, node_token  # noqa: F401

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
XDP_OFFLOAD = os.path.join(REPO, 'dataplane', 'xdp-offload.sh')
# The node agents' content rules: a path prefix and the node that serves it.
RULES = {'/a/': 'node1', '/b/': 'node2', '/c/': 'node3'}
# OVS's userspace datapath reads each system port through a packet socket, whose receive buffer is
# net.core.rmem_default when the port is added. At the kernel's default (208 KiB) those sockets dropped
# about a fifth of a 100 MB download's segments here (TCP's retransmissions, direct or spliced alike);
# at 4 MiB, none.
SWITCH_SOCKET_BUFFER = 4 * 1024 * 1024
RMEM_DEFAULT = '/proc/sys/net/core/rmem_default'


class Scenario:
    """One network with its controller and nodes. Use as a context manager."""

    def __init__(self, workdir, clients=1, nodes=3, policy='round-robin', agents=False, offload=False, haproxy=False,
                 teardown=None, controller='standalone', log=print):
        """agents: node agents on port 80 hand connections off by the content rules.
        offload: the XDP fast path on the switch's ports (else every spliced packet is the controller's).
        haproxy: instead of agents, HAProxy on every node's port 80 routes the same content rules to the
        nodes' nginx (the L7-proxy design this system is compared with; no splices).
        teardown: (idle timeout, close linger) of the controller's splices, in seconds; None: its defaults.
        controller: 'standalone' (controller/) or 'onos' (ONOS 2.7.0 with the app, built by onos-live/)."""
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
        self.net = None
        self.controller = CONTROLLERS[controller](self)
        self.saved_rmem_default = None

    # ------------------------------------------------------------------ lifecycle

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
        setLogLevel('warning')
        mininet_cleanup_quietly()
        os.makedirs(self.workdir, exist_ok=True)
        os.chmod(self.workdir, 0o755)  # nginx's workers (www-data) read the nodes' content from here
        self.net = Mininet(topo=topo.SpliceTopo(clients=self.clients, nodes=self.nodes), switch=OVSSwitch,
                           controller=None, autoSetMacs=False, build=False)
        self.net.addController('c0', controller=QuietRemoteController, ip='127.0.0.1', port=OPENFLOW_PORT)
        self.raise_switch_socket_buffers()
        self.net.build()
        self.net.start()
        # Reconnect quickly when the controller (re)starts; OVS backs off up to 8 s by default.
        subprocess.run(['ovs-vsctl', 'set', 'controller', 's1', 'max_backoff=1000'], check=False)
        m0 = self.net.get('m0')
        m0.cmd('ovs-vsctl del-controller m0')
        # The management network reaches the root namespace (where the controller runs) through an
        # internal port of m0; the REST API binds to it.
        m0.cmd('ovs-vsctl add-port m0 mgmt0 -- set interface mgmt0 type=internal')
        subprocess.run(['ip', 'addr', 'add', MGMT_ROOT_IP + '/24', 'dev', 'mgmt0'], check=False)
        subprocess.run(['ip', 'link', 'set', 'mgmt0', 'up'], check=True)
        for h in self.net.hosts:
            for intf in h.intfList():
                h.cmd('ethtool -K %s tx off rx off tso off gso off gro off 2>/dev/null' % intf)
        for j in range(1, self.nodes + 1):
            self.setup_node(j)
        if self.offload:
            self.attach_fast_path()
        self.controller.start()
        self.wait_for(lambda: self.metrics(quiet=True).get('switch_connected'), 60, 'the switch to connect to the controller')
        if self.agents:
            for j in range(1, self.nodes + 1):
                self.start_agent(j)
        if self.haproxy:
            for j in range(1, self.nodes + 1):
                self.start_haproxy(j)
        self.log('scenario: %d clients, %d nodes, %s controller up, switch connected, fast path %s'
                 % (self.clients, self.nodes, self.controller.name, self.metrics().get('fast_path')))

    def stop(self):
        if self.net is not None:
            for j in range(1, self.nodes + 1):
                for program in ('nginx', 'agent', 'haproxy'):
                    self.kill(j, program)
            self.net.stop()
            self.net = None
        subprocess.run(['ovs-vsctl', '--if-exists', 'del-port', 'm0', 'mgmt0'], check=False)
        self.controller.stop()
        if self.saved_rmem_default is not None:
            with open(RMEM_DEFAULT, 'w') as f:
                f.write(self.saved_rmem_default)
            self.saved_rmem_default = None
        mininet_cleanup_quietly()

    def raise_switch_socket_buffers(self):
        """Sockets made from now on (the switch's ports) get SWITCH_SOCKET_BUFFER; stop() puts it back."""
        with open(RMEM_DEFAULT) as f:
            current = f.read()
        if int(current) < SWITCH_SOCKET_BUFFER:
            self.saved_rmem_default = current
            with open(RMEM_DEFAULT, 'w') as f:
                f.write(str(SWITCH_SOCKET_BUFFER))

    # ------------------------------------------------------------------ controller

    def attach_fast_path(self):
        """Loads the XDP program (a fresh map) and attaches it to every switch-side port of s1."""
        subprocess.run(['bash', XDP_OFFLOAD, 'load'], check=True, stdout=subprocess.DEVNULL)
        out = self.xdp_ports('attach')
        self.log('scenario: XDP fast path on ' + ', '.join(out.replace('xdp-offload: ', '').split('\n')).strip(', '))

    def xdp_ports(self, action):
        """attach or detach the loaded program on every switch-side port of s1 (the map stays as it is)."""
        ports = [i.name for i in self.net.get('s1').intfList() if i.name != 'lo']
        return subprocess.run(['bash', XDP_OFFLOAD, action] + ports, check=True, capture_output=True, text=True).stdout

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

    # ------------------------------------------------------------------ hosts

    def client(self, i=1):
        return self.net.get('client%d' % i)

    def node(self, j):
        return self.net.get('node%d' % j)

    def node_dir(self, j):
        return os.path.join(self.workdir, 'node%d' % j)

    def setup_node(self, j):
        """VIP on loopback without answering ARP for it; nginx with this node's own content.

        Without agents nginx serves port 80 itself; with agents (or HAProxy) it moves to port 8080 behind
        the node agent, which takes port 80 and applies the content rules (/a/ node1, /b/ node2, /c/
        node3). On 8080 other nodes reach it too: agents handing off to it, other nodes' HAProxies.
        """
        h = self.node(j)
        h.cmd('ip addr add %s/32 dev lo' % topo.VIP)
        h.cmd('sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2')
        d = self.node_dir(j)
        www = os.path.join(d, 'www')
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(www)
        for rule_dir in RULES:
            os.makedirs(os.path.join(www, rule_dir.strip('/')))
            with open(os.path.join(www, rule_dir.strip('/'), 'who'), 'w') as f:
                f.write('node%d serves %swho\n' % (j, rule_dir))
        with open(os.path.join(www, 'whoami'), 'w') as f:
            f.write('node%d\n' % j)
        conf = os.path.join(d, 'nginx.conf')
        with open(conf, 'w') as f:
            # Behind agents or HAProxy, other nodes reach this nginx too (handoff_port, HAProxy's backends).
            listen = '8080' if self.agents or self.haproxy else '80'
            # The node's own front end (agent or HAProxy) may reach it on a Unix socket (local_web_server).
            listen_unix = 'listen unix:%s;' % self.nginx_socket(j) if self.agents or self.haproxy else ''
            f.write(NGINX_CONF % {'dir': d, 'www': www, 'listen': listen, 'listen_unix': listen_unix})
        self.start_web_server(j)

    def nginx_socket(self, j):
        return os.path.join(self.node_dir(j), 'nginx.sock')

    def local_web_server(self, j, unix_socket):
        """Where node j's front end reaches its own nginx: the Unix socket (the default; cheaper per
        request than TCP over loopback), or 127.0.0.1:8080."""
        return self.nginx_socket(j) if unix_socket else '127.0.0.1:8080'

    def web_port(self):
        return 8080 if self.agents or self.haproxy else 80

    def start_web_server(self, j):
        d = self.node_dir(j)
        self.node(j).cmd('nginx -c %s -p %s' % (os.path.join(d, 'nginx.conf'), d))
        self.wait_listening(j, self.web_port(), True, 10, 'nginx')

    def stop_web_server(self, j):
        self.kill(j, 'nginx')
        self.wait_listening(j, self.web_port(), False, 10, 'nginx')

    def kill(self, j, program):
        """Stops node j's nginx, agent or HAProxy, if it runs, without waiting."""
        d = self.node_dir(j)
        self.node(j).cmd({'nginx': 'kill $(cat %s/nginx.pid 2>/dev/null) 2>/dev/null' % d,
                          'agent': 'pkill -f "agent.AgentMain --config %s/" 2>/dev/null' % d,
                          'haproxy': 'kill $(cat %s/haproxy.pid 2>/dev/null) 2>/dev/null' % d}[program])

    def wait_listening(self, j, port, listening, seconds, what):
        """Waits until something listens on node j's TCP port (listening) or nothing does."""
        h = self.node(j)
        self.wait_for(lambda: ('LISTEN' in h.cmd('ss -ltn sport = :%d' % port)) == listening, seconds,
                      '%s on node%d %s' % (what, j, 'to listen' if listening else 'to stop'))

    def start_agent(self, j, relay_only=False, handoff_port=None, kernel_relay=True, unix_socket=True, token=None,
                    keep_alive_loop=True):
        """The node agent on port 80 (as root, inside the node's namespace); relay_only: proxy, never hand off;
        handoff_port: where on the target its connections go (default: the target's agent); kernel_relay:
        long response bodies socket to socket in the kernel (False: through the agent); unix_socket: see
        local_web_server; token: in place of the node's own (a wrong one gets its handoffs refused);
        keep_alive_loop: connections wait between requests in one event loop (False: a thread each)."""
        h = self.node(j)
        d = self.node_dir(j)
        config = os.path.join(d, 'agent.json')
        with open(config, 'w') as f:
            json.dump({
                'nodeId': 'node%d' % j, 'nodeIp': topo.node_ip(j), 'listen': '0.0.0.0:80',
                'webServer': ('unix:' if unix_socket else '') + self.local_web_server(j, unix_socket),
                'controller': self.controller.api_base,
                'nodes': {'node%d' % n: topo.node_ip(n) for n in range(1, self.nodes + 1)},
                'rules': [{'prefix': prefix, 'node': node} for prefix, node in RULES.items()
                          if int(node[4:]) <= self.nodes],
                'relayOnly': relay_only,
                'handoffTargetPort': handoff_port,
                'kernelRelay': kernel_relay,
                'keepAliveLoop': keep_alive_loop,
                **self.controller.agent_credentials(j, token),
            }, f, indent=2)
        target = os.path.join(REPO, 'node-agent', 'target')
        jars = [os.path.join(target, n) for n in os.listdir(target) if n.endswith('.jar')]
        classpath = ':'.join(jars + [os.path.join(target, 'lib', '*')])
        h.cmd('java %s --add-exports java.base/sun.nio.ch=ALL-UNNAMED -cp "%s" org.tcpsplice.agent.AgentMain '
              '--config %s > %s/agent.log 2>&1 &' % (os.environ.get('TCPSPLICE_AGENT_JAVA_OPTS', ''), classpath,
                                                     config, d))
        self.wait_listening(j, 80, True, 30, 'the agent')

    def start_haproxy(self, j, unix_socket=True):
        """HAProxy on port 80 with the agents' content rules: this node's content from its own nginx (as the
        agent reaches it: local_web_server), the rest proxied to the node that serves it."""
        d = self.node_dir(j)
        backends = []
        for prefix, node in sorted(RULES.items()):
            n = int(node[4:])
            if n <= self.nodes:
                backends.append((prefix, node, self.local_web_server(j, unix_socket) if n == j
                                 else '%s:8080' % topo.node_ip(n)))
        conf = os.path.join(d, 'haproxy.cfg')
        with open(conf, 'w') as f:
            f.write(HAPROXY_CONF % {'pid': os.path.join(d, 'haproxy.pid')})
            for prefix, node, _ in backends:
                f.write('    use_backend %s if { path_beg %s }\n' % (node, prefix))
            f.write('    default_backend local\nbackend local\n    server web %s\n' % self.local_web_server(j, unix_socket))
            for _, node, address in backends:
                f.write('backend %s\n    server web %s\n' % (node, address))
        h = self.node(j)
        h.cmd('haproxy -D -f %s' % conf)
        self.wait_listening(j, 80, True, 10, 'HAProxy')

    def stop_haproxy(self, j):
        self.kill(j, 'haproxy')
        self.wait_listening(j, 80, False, 10, 'HAProxy')

    def stop_agent(self, j):
        self.kill(j, 'agent')
        self.wait_for(lambda: self.agent_pid(j) is None, 10, 'the agent on node%d to stop' % j)

    def front_ends(self, kind, handoff_port=None, unix_socket=True):
        """Puts `kind` ('agents' or 'haproxy') on every node's port 80 in place of whatever is there, so
        that a benchmark can take turns between them on one network."""
        for j in range(1, self.nodes + 1):
            self.stop_agent(j)
            self.stop_haproxy(j)
            if kind == 'agents':
                self.start_agent(j, handoff_port=handoff_port, unix_socket=unix_socket)
            else:
                self.start_haproxy(j, unix_socket)

    def agent_pid(self, j):
        out = subprocess.run(['pgrep', '-f', 'agent.AgentMain --config %s/agent.json' % self.node_dir(j)],
                             capture_output=True, text=True).stdout.split()
        return int(out[0]) if out else None

    def restart_agent(self, j, **settings):
        """Node j's agent anew, with start_agent's settings."""
        self.stop_agent(j)
        self.start_agent(j, **settings)

    @contextlib.contextmanager
    def agent_configured(self, j, **settings):
        """Node j's agent with these settings (start_agent's) for the block, then with the defaults again."""
        self.restart_agent(j, **settings)
        try:
            yield
        finally:
            self.restart_agent(j)

    def write_file(self, j, name, size, seed):
        """A file of `size` pseudo-random bytes in node j's web root; returns its sha256."""
        path = os.path.join(self.node_dir(j), 'www', name)
        block = hashlib.sha256(seed.encode()).digest() * 4096
        with open(path, 'wb') as f:
            left = size
            while left > 0:
                f.write(block[:min(left, len(block))])
                left -= len(block)
        return sha256_file(path)

    def steer_next_connection_to(self, j):
        """Makes the next new connection land on node j (round-robin) by spending connections on the others.
        A connection that reaches no controller (its port's flows from an earlier connection still in the
        switch) is not counted, so this tries up to twice round."""
        for _ in range(2 * self.nodes + 1):
            if self.metrics().get('new_connections', 0) % self.nodes + 1 == j:
                return
            self.client(self.clients).cmd('curl -s -m 5 http://%s/whoami > /dev/null' % topo.VIP)
        raise AssertionError('could not steer the next connection to node%d' % j)

    def dump_flows(self):
        out = subprocess.run(['ovs-ofctl', '-O', 'OpenFlow13', '--no-stats', 'dump-flows', 's1'],
                             capture_output=True, text=True, check=True).stdout
        return sorted(line.strip() for line in out.splitlines() if line.strip())

    # What a condition may raise while the thing it waits for is not there yet: a program not
    # answering (OSError, CalledProcessError), half-written output (ValueError), an entry not listed
    # yet (KeyError, IndexError). Anything else (a typo: NameError, AttributeError, TypeError) fails at once.
    NOT_YET = (OSError, subprocess.CalledProcessError, ValueError, KeyError, IndexError)

    def wait_for(self, condition, seconds, what, every=0.2):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.controller.exited():
                raise AssertionError('the controller exited while waiting for %s; its log ends:\n%s'
                                     % (what, tail(self.controller.log_path())))
            try:
                if condition():
                    return
            except self.NOT_YET:
                pass
            time.sleep(every)
        raise AssertionError('timed out after %ds waiting for %s' % (seconds, what))


class QuietRemoteController(RemoteController):
    """The controller starts after the switches: no warning that it is not listening yet."""

    def checkListening(self):
        pass


def tail(path, lines=30):
    try:
        with open(path, errors='replace') as f:
            return ''.join(f.readlines()[-lines:])
    except OSError:
        return '(no log)'


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


def mininet_cleanup_quietly():
    """Removes what an interrupted earlier run left: our bridges, their links, leftover host shells.

    Deliberately not mininet.clean.cleanup(): that also runs `rm -f /tmp/*.log /tmp/*.out`, deleting
    other people's files.
    """
    subprocess.run(['ovs-vsctl', '--if-exists', 'del-br', 's1', '--', '--if-exists', 'del-br', 'm0'], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    links = subprocess.run(['ip', '-o', 'link', 'show'], capture_output=True, text=True).stdout
    for name in sorted(set(re.findall(r'^\d+: ((?:s1|m0|client\d+|node\d+)-eth\d+)[@:]', links, re.M))):
        subprocess.run(['ip', 'link', 'del', name], check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(['ip', 'link', 'del', 'mgmt0'], check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(['pkill', '-f', 'is mininet:(client|node)[0-9]+'], check=False)
    # A controller left by an interrupted run would hold the ports and answer in the new one's place.
    subprocess.run(['pkill', '-f', r'controller\.ControllerMain --config .*/controller\.json'], check=False)


HAPROXY_CONF = """global
    daemon
    maxconn 4096
    pidfile %(pid)s
defaults
    mode http
    option http-keep-alive
    timeout connect 5s
    timeout client 60s
    timeout server 60s
frontend service
    bind 0.0.0.0:80
"""

NGINX_CONF = """
daemon on;
worker_processes auto;
pid %(dir)s/nginx.pid;
error_log %(dir)s/error.log warn;
events { worker_connections 1024; }
http {
    access_log %(dir)s/access.log;
    client_body_temp_path %(dir)s/tmp;
    proxy_temp_path %(dir)s/tmp;
    fastcgi_temp_path %(dir)s/tmp;
    uwsgi_temp_path %(dir)s/tmp;
    scgi_temp_path %(dir)s/tmp;
    sendfile on;
    keepalive_timeout 75s;
    keepalive_requests 10000;
    server {
        listen %(listen)s;
        %(listen_unix)s
        root %(www)s;
        default_type application/octet-stream;
    }
}
"""
