"""Mininet topology for tcpsplice: `mn --custom mininet-topos/splice_topo.py --topo splice,clients=2,nodes=3`.

Data network 10.0.0.0/24 on switch s1 (OpenFlow 1.3, driven by the controller):
  clients client1.. at 10.0.0.1..   on s1 ports 1..C
  nodes   node1..   at 10.0.0.11..  on s1 ports C+1..C+N
Management network 10.255.0.0/24 on m0, a kernel bridge: every node's second interface at
10.255.0.11.., so nodes reach the controller's REST API without the spliced data path. A kernel
bridge, not a second OVS bridge: with the userspace datapath every OVS bridge is served by the same
ovs-vswitchd threads, so each handoff's POST and answer would queue behind the data traffic it
steers (a management network is a separate network in a deployment too).
"""

from mininet.node import Switch
from mininet.topo import Topo

DATA_NET = '10.0.0.'
MGMT_NET = '10.255.0.'
VIP = '10.0.0.100'
VIP_MAC = '02:00:00:00:00:fe'


def client_ip(i):
    return DATA_NET + str(i)


def node_ip(j):
    return DATA_NET + str(10 + j)


def node_mgmt_ip(j):
    return MGMT_NET + str(10 + j)


def node_mac(j):
    return '02:00:00:00:01:%02x' % j


def client_mac(i):
    return '02:00:00:00:00:%02x' % i


class SpliceTopo(Topo):
    """Clients and nodes on one switch, plus a management switch for the nodes."""

    def build(self, clients=1, nodes=3):
        s1 = self.addSwitch('s1', protocols='OpenFlow13', datapath='user', failMode='secure')
        m0 = self.addSwitch('m0', cls=KernelBridge)
        for i in range(1, clients + 1):
            h = self.addHost('client%d' % i, ip=client_ip(i) + '/24', mac=client_mac(i))
            self.addLink(h, s1, port2=i)
        for j in range(1, nodes + 1):
            n = self.addHost('node%d' % j, ip=node_ip(j) + '/24', mac=node_mac(j))
            self.addLink(n, s1, port2=clients + j)
            self.addLink(n, m0, params1={'ip': node_mgmt_ip(j) + '/24'})


class KernelBridge(Switch):
    """A Linux bridge made with iproute2 (Mininet's LinuxBridge needs brctl), learning, no STP."""

    def connected(self):
        return True

    def start(self, _controllers):
        self.cmd('ip link del', self, '2>/dev/null')
        self.cmd('ip link add', self, 'type bridge')
        for intf in self.intfList():
            if self.name in intf.name:
                self.cmd('ip link set', intf, 'master', self)
                self.cmd('ip link set', intf, 'up')
        self.cmd('ip link set', self, 'up')

    def stop(self, deleteIntfs=True):
        self.cmd('ip link del', self)
        super().stop(deleteIntfs)


topos = {'splice': SpliceTopo}
