"""What runs on each node: nginx with the node's own content, and on port 80 either nginx itself, the
node agent (hands connections off by the content rules) or HAProxy (proxies by the same rules)."""

import hashlib
import json
import os
import shutil

import splice_topo as topo
from harness import processes

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The agent's launcher, with its default JVM options (TCPSPLICE_AGENT_JAVA_OPTS replaces them).
AGENT = os.path.join(REPO, 'scripts', 'node-agent.sh')
# The node agents' content rules: a path prefix and the node that serves it.
RULES = {'/a/': 'node1', '/b/': 'node2', '/c/': 'node3'}


class FrontEnds:
    """The programs on nodes 1..nodes of a network. behind: a front end (agents or HAProxy) takes port
    80, and nginx moves to port 8080 (where other nodes reach it too: handoff targets, HAProxy's
    backends) and a Unix socket (where the node's own front end reaches it)."""

    def __init__(self, network, workdir, nodes, behind, controller, wait_for):
        self.network = network
        self.workdir = workdir
        self.nodes = nodes
        self.behind = behind
        self.controller = controller
        self.wait_for = wait_for
        self.agents = {}  # node number -> the agent's Popen

    def node_dir(self, j):
        return os.path.join(self.workdir, 'node%d' % j)

    def stop_all(self):
        for j in range(1, self.nodes + 1):
            self.stop_agent(j, wait=False)
            processes.stop_by_pid_file(self.pid_file(j, 'haproxy'))
            processes.stop_by_pid_file(self.pid_file(j, 'nginx'))

    def pid_file(self, j, program):
        return os.path.join(self.node_dir(j), program + '.pid')

    # ------------------------------------------------------------------ nginx

    def setup_node(self, j):
        """VIP on loopback without answering ARP for it; nginx with this node's own content."""
        h = self.network.node(j)
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
        with open(os.path.join(d, 'nginx.conf'), 'w') as f:
            f.write(NGINX_CONF % {'dir': d, 'www': www, 'listen': self.web_port(),
                                  'listen_unix': 'listen unix:%s;' % self.nginx_socket(j) if self.behind else ''})
        self.start_web_server(j)

    def nginx_socket(self, j):
        return os.path.join(self.node_dir(j), 'nginx.sock')

    def local_web_server(self, j, unix_socket):
        """Where node j's front end reaches its own nginx: the Unix socket (the default; cheaper per
        request than TCP over loopback), or 127.0.0.1:8080."""
        return self.nginx_socket(j) if unix_socket else '127.0.0.1:8080'

    def web_port(self):
        return 8080 if self.behind else 80

    def start_web_server(self, j):
        d = self.node_dir(j)
        self.network.node(j).cmd('nginx -c %s -p %s' % (os.path.join(d, 'nginx.conf'), d))
        processes.remember_pid_file(self.pid_file(j, 'nginx'))
        self.wait_listening(j, self.web_port(), True, 10, 'nginx')

    def stop_web_server(self, j):
        processes.stop_by_pid_file(self.pid_file(j, 'nginx'))
        self.wait_listening(j, self.web_port(), False, 10, 'nginx')

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

    def wait_listening(self, j, port, listening, seconds, what):
        """Waits until something listens on node j's TCP port (listening) or nothing does."""
        h = self.network.node(j)
        self.wait_for(lambda: ('LISTEN' in h.cmd('ss -ltn sport = :%d' % port)) == listening, seconds,
                      '%s on node%d %s' % (what, j, 'to listen' if listening else 'to stop'))

    # ------------------------------------------------------------------ the node agent

    def start_agent(self, j, relay_only=False, handoff_port=None, kernel_relay=True, unix_socket=True, token=None,
                    keep_alive_loop=True, dispatch='always', relay_port=None, java_opts=None):
        """The node agent on port 80 (as root, inside the node's namespace); dispatch: 'always' hands off
        every request for another node (what the handoff tests need), 'adaptive' is the agent's default
        (relays until a handoff pays, DispatchPolicy); relay_only: proxy, never hand off;
        handoff_port: where on the target its connections go (default: the target's agent); kernel_relay:
        long response bodies socket to socket in the kernel (False: through the agent); unix_socket: see
        local_web_server; token: in place of the node's own (a wrong one gets its handoffs refused);
        keep_alive_loop: connections wait between requests in one event loop (False: a thread each);
        relay_port: where on another node relayed requests go (default: where handoffs go); java_opts: the
        agent's JVM options (default: the launcher's, scripts/node-agent.sh)."""
        d = self.node_dir(j)
        config = os.path.join(d, 'agent.json')
        with open(config, 'w') as f:
            json.dump({
                'nodeId': 'node%d' % j, 'nodeIp': topo.node_ip(j), 'listen': '0.0.0.0:80',
                'webServer': ('unix:' if unix_socket else '') + self.local_web_server(j, unix_socket),
                **self.controller.agent_api(),
                'nodes': {'node%d' % n: topo.node_ip(n) for n in range(1, self.nodes + 1)},
                'rules': [{'prefix': prefix, 'node': node} for prefix, node in RULES.items()
                          if int(node[4:]) <= self.nodes],
                'relayOnly': relay_only,
                'dispatch': dispatch,
                'handoffTargetPort': handoff_port,
                'relayPort': relay_port,
                'kernelRelay': kernel_relay,
                'keepAliveLoop': keep_alive_loop,
                **self.controller.agent_credentials(j, token),
            }, f, indent=2)
        args = ([] if java_opts is None else ['env', 'TCPSPLICE_AGENT_JAVA_OPTS=' + java_opts]) + \
            ['bash', AGENT, '--config', config]
        self.agents[j] = processes.start(args, os.path.join(d, 'agent.log'), popen=self.network.node(j).popen)
        self.wait_listening(j, 80, True, 30, 'the agent')

    def stop_agent(self, j, wait=True):
        """Stops node j's agent if it runs; wait: until port 80 is free again."""
        proc = self.agents.pop(j, None)
        if proc is not None:
            processes.stop(proc)
            if wait:
                self.wait_listening(j, 80, False, 10, 'the agent')

    def agent_pid(self, j):
        proc = self.agents.get(j)
        return proc.pid if proc is not None and proc.poll() is None else None

    # ------------------------------------------------------------------ HAProxy

    def start_haproxy(self, j, unix_socket=True):
        """HAProxy on port 80 with the agents' content rules: this node's content from its own nginx (as the
        agent reaches it: local_web_server), the rest proxied to the node that serves it."""
        backends = []
        for prefix, node in sorted(RULES.items()):
            n = int(node[4:])
            if n <= self.nodes:
                backends.append((prefix, node, self.local_web_server(j, unix_socket) if n == j
                                 else '%s:8080' % topo.node_ip(n)))
        conf = os.path.join(self.node_dir(j), 'haproxy.cfg')
        with open(conf, 'w') as f:
            f.write(HAPROXY_CONF % {'pid': self.pid_file(j, 'haproxy')})
            for prefix, node, _ in backends:
                f.write('    use_backend %s if { path_beg %s }\n' % (node, prefix))
            f.write('    default_backend local\nbackend local\n    server web %s\n' % self.local_web_server(j, unix_socket))
            for _, node, address in backends:
                f.write('backend %s\n    server web %s\n' % (node, address))
        # A stopped agent may leave sockets on port 80 in FIN-WAIT-1 (its FINs to clients that have gone,
        # unanswered), which keep HAProxy from binding the port (seen under ONOS after `always` turns).
        self.network.node(j).cmd('ss -K state fin-wait-1 sport = :80 > /dev/null')
        said = self.network.node(j).cmd('haproxy -D -f %s 2>&1' % conf)
        processes.remember_pid_file(self.pid_file(j, 'haproxy'))
        try:
            self.wait_listening(j, 80, True, 10, 'HAProxy')
        except AssertionError as e:
            states = self.network.node(j).cmd("ss -tanH sport = :80 | awk '{print $1}' | sort | uniq -c")
            raise AssertionError('%s; haproxy said: %s; sockets on port 80: %s'
                                 % (e, said.strip() or 'nothing', ' '.join(states.split()) or 'none')) from None

    def stop_haproxy(self, j):
        if processes.stop_by_pid_file(self.pid_file(j, 'haproxy')):
            self.wait_listening(j, 80, False, 10, 'HAProxy')


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


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
