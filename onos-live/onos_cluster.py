"""An ONOS 2.7 cluster on this machine: three storage nodes (Atomix 3.1.9, run by AtomixNode.java as
ONOS's atomix-agent would) and three ONOS instances, each ONOS in a network namespace of its own on one
Linux bridge, with cluster metadata as onos-gen-config writes it. Everything it starts is stopped by
PID (process group); kill() ends one instance with SIGKILL, as a crash would.

    cluster = OnosCluster(workdir)
    cluster.prepare()                       # each instance's distribution copied; add users now
    cluster.start()                         # storage nodes, then the instances one after the other
    cluster.attach('m0', '10.255.0.20')     # a second leg of each instance on a kernel bridge (10.255.0.201...)
    cluster.master('of:0000000000000001')   # the instance that is the device's master
    cluster.kill(cluster.master(...))
    cluster.stop()

Run by itself it is a probe: `/usr/bin/python3 onos-live/onos_cluster.py` boots the cluster, prints
when each part came up, the cluster as ONOS sees it and the memory it takes, and stops it. As root,
with nothing else on 10.1.0.0/24.
"""

import glob
import json
import os
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import build_onos  # noqa: E402
from onos_process import ADD_OPENS, OnosError, OnosProcess  # noqa: E402

BRIDGE = 'tcpsplice-cl'
NET = '10.1.0.'
ROOT_IP = NET + '254'
ATOMIX_NS = 'tcpsplice-atomix'
OPENFLOW_PORT = 6653
LOGBACK = '<configuration><appender name="out" class="ch.qos.logback.core.ConsoleAppender"><encoder>' \
          '<pattern>%d %-5level %logger{20} %msg%n</pattern></encoder></appender>' \
          '<root level="INFO"><appender-ref ref="out"/></root></configuration>'


def sh(*cmd):
    subprocess.run(cmd, check=True)


def quietly(*cmd):
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class OnosCluster:
    def __init__(self, workdir, size=3, log=print, started=None, stopped=None):
        """started(pid), stopped(pid): told when a process group begins and has ended (the harness's ledger)."""
        self.workdir = workdir
        self.size = size
        self.log = log
        self.started = started or (lambda pid: None)
        self.stopped = stopped or (lambda pid: None)
        self.namespaces = ['tcpsplice-onos%d' % i for i in range(1, size + 1)]
        # Atomix binds its port on every address, so the storage nodes in one namespace take a port each.
        self.storage = [('atomix-%d' % i, NET + str(10 + i), 5678 + i) for i in range(1, size + 1)]
        self.storage_procs = []
        self.instances = []
        self.attached = []  # the host end of each instance's second leg

    # ------------------------------------------------------------------ lifecycle

    def prepare(self):
        """The network, and each instance's distribution in workdir/onos<i> (users may be added to each now)."""
        self.remove_network()
        self.network()
        for i, ns in enumerate(self.namespaces, 1):
            meta = os.path.join(self.workdir, 'cluster-%d.json' % i)
            with open(meta, 'w') as f:
                json.dump({'name': 'onos', 'node': {'id': self.ip(i), 'ip': self.ip(i), 'port': 9876},
                           'storage': [{'id': n, 'ip': a, 'port': p} for n, a, p in self.storage],
                           'clusterSecret': 'tcpsplice-cluster'}, f)
            o = OnosProcess(os.path.join(self.workdir, 'onos%d' % i), log=self.log, host=self.ip(i), netns=ns,
                            java_opts='-Donos.cluster.metadata.uri=file://' + meta,
                            started=self.started, stopped=self.stopped)
            os.makedirs(o.workdir, exist_ok=True)
            o.prepare()
            self.instances.append(o)

    def start(self, timeout=400):
        """The storage nodes, then the instances one after the other (two cores: booting them together
        takes longer than in turn)."""
        if not self.instances:
            self.prepare()
        began = time.time()
        self.start_storage()
        self.log('onos-cluster: %d storage nodes up after %.0f s' % (self.size, time.time() - began))
        for o in self.instances:
            o.start(timeout=timeout)
            self.log('onos-cluster: ONOS %s ready after %.0f s' % (o.host, time.time() - began))

    def start_storage(self):
        distribution = self.instances[0].distribution or build_onos.build(
            os.environ.get('ONOS_SRC') or build_onos.DEFAULT_SOURCE, os.path.join(build_onos.REPO, 'build', 'onos'))
        jars = ':'.join(glob.glob(os.path.join(distribution, 'karaf', 'system', '**', '*.jar'), recursive=True))
        members = ['%s@%s:%d' % (name, ip, port) for name, ip, port in self.storage]
        logback = os.path.join(self.workdir, 'atomix-logback.xml')
        with open(logback, 'w') as f:
            f.write(LOGBACK)
        for name, ip, port in self.storage:
            log = open(os.path.join(self.workdir, name + '.log'), 'ab')
            p = subprocess.Popen(
                ['ip', 'netns', 'exec', ATOMIX_NS, 'java', '-Xmx512m', '-Dlogback.configurationFile=' + logback]
                + ['--add-opens=%s=ALL-UNNAMED' % o for o in ADD_OPENS]
                + ['-cp', jars, os.path.join(HERE, 'cluster', 'AtomixNode.java'),
                   name, '%s:%d' % (ip, port), os.path.join(self.workdir, name)] + members,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            self.started(p.pid)
            self.storage_procs.append(p)
        deadline = time.time() + 240
        while not all('started' in open(os.path.join(self.workdir, n + '.log'), errors='replace').read()
                      for n, _, _ in self.storage):
            if any(p.poll() is not None for p in self.storage_procs) or time.time() > deadline:
                raise OnosError('the storage nodes did not all start; see %s/atomix-*.log' % self.workdir)
            time.sleep(1)

    def stop(self):
        stopping = [threading.Thread(target=o.stop) for o in self.instances]  # each waits up to a minute
        for t in stopping:
            t.start()
        for t in stopping:
            t.join()
        for p in self.storage_procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(10)
            self.stopped(p.pid)
        self.storage_procs = []
        for port in self.attached:
            quietly('ip', 'link', 'del', port)
        self.attached = []
        self.remove_network()

    def kill(self, instance):
        """Ends one instance as a crash would: SIGKILL to its whole process group, which then is reaped."""
        group = instance.proc.pid
        try:
            os.killpg(group, signal.SIGKILL)
        except ProcessLookupError:
            pass
        instance.proc.wait(30)
        while True:  # the JVM outlives the shell script for a moment
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)
        self.stopped(group)
        instance.proc = None

    # ------------------------------------------------------------------ what runs

    def ip(self, i):
        return NET + str(i)

    def live(self):
        return [o for o in self.instances if o.running()]

    def master(self, device):
        """The instance that is the device's master, as a live instance reports it; None while there is none."""
        for o in self.live():
            status, body = o.rest('v1/mastership/%s/master' % device, timeout=5)
            if status == 200 and isinstance(body, dict) and body.get('nodeId'):
                return next((x for x in self.instances if x.host == body['nodeId'] and x.running()), None)
        return None

    def openflow_targets(self):
        return ['tcp:%s:%d' % (o.host, OPENFLOW_PORT) for o in self.instances]

    # ------------------------------------------------------------------ the network

    def network(self):
        sh('ip', 'link', 'add', BRIDGE, 'type', 'bridge')
        sh('ip', 'addr', 'add', ROOT_IP + '/24', 'dev', BRIDGE)
        sh('ip', 'link', 'set', BRIDGE, 'up')
        for i, ns in enumerate(self.namespaces + [ATOMIX_NS], 1):
            sh('ip', 'netns', 'add', ns)
            veth = 'cl-' + ns.split('-')[-1]
            sh('ip', 'link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns)
            sh('ip', 'link', 'set', veth, 'master', BRIDGE, 'up')
            sh('ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up')
            sh('ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'eth0', 'up')
            for address in ([self.ip(i)] if ns != ATOMIX_NS else [a for _, a, _ in self.storage]):
                sh('ip', 'netns', 'exec', ns, 'ip', 'addr', 'add', address + '/24', 'dev', 'eth0')

    def attach(self, bridge, address_prefix, prefix_len=24):
        """A second leg for each instance on a kernel bridge (another network, e.g. the nodes' management
        network): instance i gets address_prefix + str(i). Returns those addresses."""
        addresses = []
        for i, ns in enumerate(self.namespaces, 1):
            port = 'ca-onos%d' % i
            sh('ip', 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth1', 'netns', ns)
            sh('ip', 'link', 'set', port, 'master', bridge)
            self.attached.append(port)
            sh('ip', 'link', 'set', port, 'up')
            quietly('ip', 'netns', 'exec', ns, 'ethtool', '-K', 'eth1', 'tx', 'off', 'rx', 'off', 'tso', 'off', 'gso', 'off')
            sh('ip', 'netns', 'exec', ns, 'ip', 'addr', 'add', '%s%d/%d' % (address_prefix, i, prefix_len), 'dev', 'eth1')
            sh('ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'eth1', 'up')
            addresses.append('%s%d' % (address_prefix, i))
        return addresses

    def remove_network(self):
        for ns in self.namespaces + [ATOMIX_NS]:
            quietly('ip', 'netns', 'del', ns)
        quietly('ip', 'link', 'del', BRIDGE)


def rss_mb(pid):
    """Resident memory of a process and its children, in MB."""
    out = subprocess.run(['ps', '-o', 'rss=', '--ppid', str(pid), '-p', str(pid)], capture_output=True, text=True).stdout
    return sum(int(x) for x in out.split()) // 1024


def probe():
    import tempfile
    cluster = OnosCluster(tempfile.mkdtemp(prefix='tcpsplice-cluster-'))
    try:
        cluster.start()
        status, nodes = cluster.instances[0].rest('v1/cluster')
        print('onos-cluster: GET /onos/v1/cluster from %s: %d %s' % (cluster.instances[0].host, status, json.dumps(nodes)))
        print('onos-cluster: memory: storage nodes %s MB, ONOS %s MB' % (
            [rss_mb(p.pid) for p in cluster.storage_procs], [rss_mb(o.proc.pid) for o in cluster.instances]))
    finally:
        cluster.stop()
        print('onos-cluster: logs in ' + cluster.workdir)


if __name__ == '__main__':
    probe()
