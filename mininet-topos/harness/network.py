"""The network: SpliceTopo on Open vSwitch (userspace datapath) with Mininet hosts, the management
port that lets the nodes reach the controller in the root namespace, and the XDP fast path on the
switch's ports."""

import os
import re
import subprocess

from mininet.log import setLogLevel
from mininet.net import Mininet
from mininet.node import OVSSwitch, RemoteController

import splice_topo as topo
from harness import processes
from harness.controllers import MGMT_ROOT_IP, OPENFLOW_PORT

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
XDP_OFFLOAD = os.path.join(REPO, 'dataplane', 'xdp-offload.sh')
# OVS's userspace datapath reads each system port through a packet socket, whose receive buffer is
# net.core.rmem_default when the port is added. At the kernel's default (208 KiB) those sockets dropped
# about a fifth of a 100 MB download's segments here (TCP's retransmissions, direct or spliced alike);
# at 4 MiB, none.
SWITCH_SOCKET_BUFFER = 4 * 1024 * 1024
RMEM_DEFAULT = '/proc/sys/net/core/rmem_default'


class Network:
    """s1 with `clients` clients and `nodes` nodes, m0 the management switch. start() and stop()."""

    def __init__(self, clients, nodes, log=print):
        self.clients = clients
        self.nodes = nodes
        self.log = log
        self.net = None
        self.saved_rmem_default = None

    def start(self):
        setLogLevel('warning')
        cleanup_quietly(self.log)
        self.net = Mininet(topo=topo.SpliceTopo(clients=self.clients, nodes=self.nodes), switch=OVSSwitch,
                           controller=None, autoSetMacs=False, build=False)
        self.net.addController('c0', controller=QuietRemoteController, ip='127.0.0.1', port=OPENFLOW_PORT)
        self.raise_switch_socket_buffers()
        self.net.build()
        self.net.start()
        for h in self.net.hosts:
            processes.remember(h.shell.pid)
        # Reconnect quickly when the controller (re)starts; OVS backs off up to 8 s by default.
        subprocess.run(['ovs-vsctl', 'set', 'controller', 's1', 'max_backoff=1000'], check=False)
        # The management network reaches the root namespace (where the controller runs) through the
        # bridge's own interface; the REST API binds to its address.
        subprocess.run(['ip', 'addr', 'add', MGMT_ROOT_IP + '/24', 'dev', 'm0'], check=True)
        for h in self.net.hosts:
            for intf in h.intfList():
                h.cmd('ethtool -K %s tx off rx off tso off gso off gro off 2>/dev/null' % intf)

    def stop(self):
        if self.net is not None:
            shells = [h.shell.pid for h in self.net.hosts if h.shell]
            self.net.stop()
            self.net = None
            for pid in shells:
                processes.forget(pid)
        if self.saved_rmem_default is not None:
            with open(RMEM_DEFAULT, 'w') as f:
                f.write(self.saved_rmem_default)
            self.saved_rmem_default = None
        remove_bridges_and_links()

    def raise_switch_socket_buffers(self):
        """Sockets made from now on (the switch's ports) get SWITCH_SOCKET_BUFFER; stop() puts it back."""
        with open(RMEM_DEFAULT) as f:
            current = f.read()
        if int(current) < SWITCH_SOCKET_BUFFER:
            self.saved_rmem_default = current
            with open(RMEM_DEFAULT, 'w') as f:
                f.write(str(SWITCH_SOCKET_BUFFER))

    def client(self, i=1):
        return self.net.get('client%d' % i)

    def node(self, j):
        return self.net.get('node%d' % j)

    def attach_fast_path(self):
        """Loads the XDP program (a fresh map) and attaches it to every switch-side port of s1."""
        subprocess.run(['bash', XDP_OFFLOAD, 'load'], check=True, stdout=subprocess.DEVNULL)
        out = self.xdp_ports('attach')
        self.log('scenario: XDP fast path on ' + ', '.join(out.replace('xdp-offload: ', '').split('\n')).strip(', '))

    def xdp_ports(self, action):
        """attach or detach the loaded program on every switch-side port of s1 (the map stays as it is)."""
        ports = [i.name for i in self.net.get('s1').intfList() if i.name != 'lo']
        return subprocess.run(['bash', XDP_OFFLOAD, action] + ports, check=True, capture_output=True, text=True).stdout

    def dump_flows(self):
        out = subprocess.run(['ovs-ofctl', '-O', 'OpenFlow13', '--no-stats', 'dump-flows', 's1'],
                             capture_output=True, text=True, check=True).stdout
        return sorted(line.strip() for line in out.splitlines() if line.strip())


class QuietRemoteController(RemoteController):
    """The controller starts after the switches: no warning that it is not listening yet."""

    def checkListening(self):
        pass


def cleanup_quietly(log=print):
    """Removes what an interrupted earlier run left: its programs (from the ledger), our bridges, their links.

    Deliberately not mininet.clean.cleanup(): that also runs `rm -f /tmp/*.log /tmp/*.out`, deleting
    other people's files, and kills by command-line patterns.
    """
    processes.end_leftovers(log)
    remove_bridges_and_links()


def remove_bridges_and_links():
    subprocess.run(['ovs-vsctl', '--if-exists', 'del-br', 's1', '--', '--if-exists', 'del-br', 'm0'], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(['ip', 'link', 'del', 'm0', 'type', 'bridge'], check=False, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    links = subprocess.run(['ip', '-o', 'link', 'show'], capture_output=True, text=True).stdout
    for name in sorted(set(re.findall(r'^\d+: ((?:s1|m0|client\d+|node\d+)-eth\d+)[@:]', links, re.M))):
        subprocess.run(['ip', 'link', 'del', name], check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
