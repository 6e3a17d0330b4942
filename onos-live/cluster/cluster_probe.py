"""Can an ONOS 2.7 cluster run here? Three storage nodes (Atomix 3.1.9, AtomixNode.java) and three
ONOS instances, each ONOS in a network namespace of its own on one bridge, with cluster metadata as
onos-gen-config writes it. Prints when each part came up, the cluster as ONOS sees it, and the time
and memory it took; stops everything it started, by PID. Run as root, with nothing else on 10.1.0.0/24:

    /usr/bin/python3 onos-live/cluster/cluster_probe.py
"""

import glob
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import build_onos  # noqa: E402
from onos_process import ADD_OPENS, OnosProcess  # noqa: E402

BRIDGE = 'tcpsplice-cl'
NET = '10.1.0.'
ONOS = [(('tcpsplice-onos%d' % i), NET + str(i)) for i in (1, 2, 3)]
ATOMIX_NS = 'tcpsplice-atomix'
# Atomix binds its port on every address, so the three in one namespace take a port each.
ATOMIX = [('atomix-%d' % i, NET + str(10 + i), 5678 + i) for i in (1, 2, 3)]
LOGBACK = '<configuration><appender name="out" class="ch.qos.logback.core.ConsoleAppender"><encoder>' \
          '<pattern>%d %-5level %logger{20} %msg%n</pattern></encoder></appender>' \
          '<root level="INFO"><appender-ref ref="out"/></root></configuration>'


def sh(*cmd):
    subprocess.run(cmd, check=True)


def network():
    sh('ip', 'link', 'add', BRIDGE, 'type', 'bridge')
    sh('ip', 'addr', 'add', NET + '254/24', 'dev', BRIDGE)
    sh('ip', 'link', 'set', BRIDGE, 'up')
    for ns, ip in ONOS + [(ATOMIX_NS, None)]:
        sh('ip', 'netns', 'add', ns)
        veth = 'cl-' + ns.split('-')[-1]
        sh('ip', 'link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns)
        sh('ip', 'link', 'set', veth, 'master', BRIDGE, 'up')
        sh('ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up')
        sh('ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'eth0', 'up')
        for address in ([ip] if ip else [a for _, a, _ in ATOMIX]):
            sh('ip', 'netns', 'exec', ns, 'ip', 'addr', 'add', address + '/24', 'dev', 'eth0')


def remove_network():
    for ns, _ in ONOS + [(ATOMIX_NS, None)]:
        subprocess.run(['ip', 'netns', 'del', ns], check=False, stderr=subprocess.DEVNULL)
    subprocess.run(['ip', 'link', 'del', BRIDGE], check=False, stderr=subprocess.DEVNULL)


def rss_mb(pid):
    """Resident memory of a process and its children, in MB."""
    out = subprocess.run(['ps', '-o', 'rss=', '--ppid', str(pid), '-p', str(pid)], capture_output=True, text=True).stdout
    return sum(int(x) for x in out.split()) // 1024


def main():
    work = tempfile.mkdtemp(prefix='tcpsplice-cluster-')
    distribution = build_onos.build(os.environ.get('ONOS_SRC') or build_onos.DEFAULT_SOURCE,
                                    os.path.join(build_onos.REPO, 'build', 'onos'))
    jars = ':'.join(glob.glob(os.path.join(distribution, 'karaf', 'system', '**', '*.jar'), recursive=True))
    remove_network()
    network()
    atomix, onos = [], []
    started = time.time()
    try:
        members = ['%s@%s:%d' % (name, ip, port) for name, ip, port in ATOMIX]
        logback = os.path.join(work, 'logback.xml')
        with open(logback, 'w') as f:
            f.write(LOGBACK)
        for name, ip, port in ATOMIX:
            log = open(os.path.join(work, name + '.log'), 'ab')
            atomix.append(subprocess.Popen(
                ['ip', 'netns', 'exec', ATOMIX_NS, 'java', '-Xmx512m', '-Dlogback.configurationFile=' + logback]
                + ['--add-opens=%s=ALL-UNNAMED' % o for o in ADD_OPENS]
                + ['-cp', jars, os.path.join(HERE, 'AtomixNode.java'),
                 name, '%s:%d' % (ip, port), os.path.join(work, name)] + members,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        deadline = time.time() + 240
        while not all('started' in open(os.path.join(work, n + '.log'), errors='replace').read() for n, _, _ in ATOMIX):
            if any(p.poll() is not None for p in atomix) or time.time() > deadline:
                raise RuntimeError('the storage nodes did not all start; see ' + work)
            time.sleep(1)
        print('cluster-probe: 3 storage nodes up after %.0f s' % (time.time() - started), flush=True)
        for i, (ns, ip) in enumerate(ONOS, 1):
            meta = os.path.join(work, 'cluster-%d.json' % i)
            with open(meta, 'w') as f:
                json.dump({'name': 'onos', 'node': {'id': ip, 'ip': ip, 'port': 9876},
                           'storage': [{'id': n, 'ip': a, 'port': port} for n, a, port in ATOMIX],
                           'clusterSecret': 'tcpsplice-probe'}, f)
            o = OnosProcess(os.path.join(work, 'onos%d' % i), host=ip, netns=ns,
                            java_opts='-Donos.cluster.metadata.uri=file://' + meta)
            os.makedirs(o.workdir)
            onos.append(o)
        for o in onos:  # booted one after the other: two cores
            o.start(timeout=400)
            print('cluster-probe: ONOS %s ready after %.0f s' % (o.host, time.time() - started), flush=True)
        status, nodes = onos[0].rest('v1/cluster')
        print('cluster-probe: GET /onos/v1/cluster from %s: %d %s' % (onos[0].host, status, json.dumps(nodes)))
        print('cluster-probe: memory: storage nodes %s MB, ONOS %s MB' % (
            [rss_mb(p.pid) for p in atomix], [rss_mb(o.proc.pid) for o in onos]))
    finally:
        for o in onos:
            o.stop()
        for p in atomix:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                p.wait(30)
        remove_network()
        print('cluster-probe: logs in ' + work)


if __name__ == '__main__':
    main()
