"""The demo: the whole system in Mininet with live handoffs, narrated.

Run as root with the system Python after a build: /usr/bin/python3 mininet-topos/demo.py [--slow-path] [--onos]
(scripts/demo.sh does the setup and the build first). By default the standalone controller runs with
the XDP fast path attached to the switch's ports; --slow-path (or a host where XDP cannot attach) runs
every spliced packet through the controller instead; --onos runs ONOS 2.7.0 with the tcpsplice app
(built by onos-live/ on first use) in place of the standalone controller, the fast path's map written
through the switch-host agent.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import splice_topo as topo  # noqa: E402
import scenario as scenario_module  # noqa: E402
from scenario import Scenario  # noqa: E402


def say(text=''):
    print(text, flush=True)


def start(workdir, offload, controller):
    """The running scenario, with the fast path if asked and possible; otherwise on the slow path, said so."""
    if offload:
        try:
            return Scenario(workdir, clients=2, nodes=3, agents=True, offload=True, controller=controller).__enter__()
        except subprocess.CalledProcessError as e:  # xdp-offload.sh could not load or attach (the scenario cleaned up)
            say('   The XDP fast path could not be attached (%s); running on the slow path.' % e)
            workdir = os.path.join(workdir, 'slow-path')  # a fresh folder: ONOS keeps state in its own
    return Scenario(workdir, clients=2, nodes=3, agents=True, controller=controller).__enter__()


# client2's connection for step 4: the Figure 2 chain on one keep-alive connection, then silence.
HELD_OPEN_CLIENT = """import socket, sys, time
s = socket.create_connection((sys.argv[1], 80))
for p in 'abc':
    s.sendall(('GET /%s/who HTTP/1.1\\r\\nHost: demo\\r\\n\\r\\n' % p).encode())
    s.recv(4096)
time.sleep(60)
"""


def open_chain(sc):
    """client2's splice once its handoffs to node2 and node3 are in (None before)."""
    status, splices = sc.api('splices')
    for s in splices if status == 200 else []:
        if s['clientKey'].startswith(topo.client_ip(2) + ':') and len(s['handoffs']) >= 2:
            return s
    return None


def splice_tuples(splice):
    """Every 4-tuple of a splice as (src, sport, dst, dport) strings: the client's, each handoff's new
    connection, and their reverses."""
    tuples = []
    for text in [splice['clientKey']] + [e['rewriteTo'] for e in splice['handoffs']]:
        src, dst = text.split('->')
        (sip, sport), (dip, dport) = src.rsplit(':', 1), dst.rsplit(':', 1)
        tuples += [(sip, sport, dip, dport), (dip, dport, sip, sport)]
    return tuples


def held_by_switch(sc, splice, fast):
    """The lines to show: the fast path's map elements for the splice and the standing punt rule, or
    the slow path's per-splice rules."""
    tuples = splice_tuples(splice)
    if not fast:
        lines = ['Its rules (every 4-tuple to the controller, which maps and translates: no OpenFlow switch'
                 ' can rewrite TCP seq/ack):']
        for flow in sc.dump_flows():
            matches = ('nw_src=%s,nw_dst=%s,tp_src=%s,tp_dst=%s ' % (sip, dip, sport, dport)
                       for sip, sport, dip, dport in tuples)
            if 'priority=40000' in flow and any(m in flow for m in matches):
                lines.append('  ' + flow)
        return lines
    lines = ['No OpenFlow rule of its own. The XDP program\'s map holds its tuples (translate: the newest range',
             'is rewritten before OVS; retired: an end a node let go of, passed on within what it may still send;',
             'tag: sent to the controller with VLAN 4094):']
    out = subprocess.run(['bpftool', 'map', 'dump', 'pinned', scenario_module.FAST_PATH_MAP, '-j'],
                         capture_output=True, text=True).stdout
    for element in json.loads(out or '[]'):
        key = bytes(int(b, 16) for b in element['key'])
        value = bytes(int(b, 16) for b in element['value'])
        t = ('.'.join(map(str, key[0:4])), str(int.from_bytes(key[8:10], 'big')),
             '.'.join(map(str, key[4:8])), str(int.from_bytes(key[10:12], 'big')))
        if t in tuples:
            kind = 'tag' if value[51] & 1 else 'retired' if value[51] & 2 else 'translate'
            lines.append('  %s:%s -> %s:%s  %s' % (t + (kind,)))
    lines.append('And one standing rule sends the tag to the controller:')
    lines += ['  ' + f for f in sc.dump_flows() if 'priority=45000' in f]
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--slow-path', action='store_true', help='do not attach the XDP fast path')
    parser.add_argument('--onos', action='store_true',
                        help='ONOS 2.7.0 with the tcpsplice app as the controller, the fast path through the '
                             'switch-host agent (docs/onos.md)')
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix='tcpsplice-demo-')
    say('Starting: Open vSwitch (userspace datapath) in Mininet, %s, 3 nodes with a node agent in front'
        % ('ONOS 2.7.0 with the tcpsplice app and ONOS\'s reactive forwarding' if args.onos else 'the controller'))
    say('of nginx, 2 clients. The service is %s:80. Content rules on every node: /a/ node1, /b/ node2, /c/ node3.'
        % topo.VIP)
    sc = start(workdir, not args.slow_path, 'onos' if args.onos else 'standalone')
    try:
        fast = sc.offload
        say('Mode: %s%s' % ('XDP fast path on the switch ports (the newest range of each splice is rewritten before OVS;'
                            ' older ranges go to the controller)' if fast else
                            'slow path (every spliced packet is translated by the controller)',
                            ', inside ONOS' if args.onos else ''))
        client = sc.client(1)
        say()
        say('1. One keep-alive connection from client1, three requests (the patent\'s Figure 2 live):')
        out = client.cmd('curl -s -m 30 -w "   (local port %%{local_port})\\n" http://%s/a/who http://%s/b/who '
                         'http://%s/c/who' % ((topo.VIP,) * 3))
        for line in out.strip().splitlines():
            say('   ' + line.strip())
        say()
        say('2. A 10 MB download handed from node1 to node2 (client1, default Linux TCP: SACK, timestamps, wscale):')
        digest = sc.write_file(2, 'b/movie', 10 * 1024 * 1024, 'demo')
        sc.steer_next_connection_to(1)
        out = client.cmd('curl -s -m 60 -w "%%{speed_download} %%{time_starttransfer}\\n" -o /dev/null http://%s/whoami '
                         '-o /tmp/tcpsplice-demo.bin http://%s/b/movie; sha256sum /tmp/tcpsplice-demo.bin' % (topo.VIP, topo.VIP))
        speeds = re.findall(r'^([\d.]+) ([\d.]+)\r?$', out, re.M)
        got = out.split()[-2]
        say('   %s MB/s, first byte after %.1f ms, sha256 %s' % (
            '%.1f' % (float(speeds[-1][0]) / 1e6) if speeds else '?',
            float(speeds[-1][1]) * 1000 if speeds else 0, 'matches' if got == digest else 'DIFFERS'))
        say()
        say('3. The splice table (GET /splices): level-1 key, then one level-2 entry per handoff:')
        status, splices = sc.api('splices')
        for s in splices:
            say('   %s  served by %s  (%s)' % (s['clientKey'], s['servingNode'], s['state']))
            for e in s['handoffs']:
                say('      at client seq/ack %d/%d -> %s  deltas %+d/%+d' % (
                    e['handoffSeq'], e['handoffAck'], e['rewriteTo'], e['seqDelta'], e['ackDelta']))
        say()
        say('4. What the switch holds for a spliced connection that stays open (client2: /a/, /b/, /c/ on one')
        say('   keep-alive connection, the Figure 2 chain, then silent for a minute):')
        held_open = os.path.join(workdir, 'held_open_client.py')
        with open(held_open, 'w') as f:
            f.write(HELD_OPEN_CLIENT)
        sc.steer_next_connection_to(1)
        sc.client(2).cmd('python3 %s %s > /dev/null 2>&1 &' % (held_open, topo.VIP))
        sc.wait_for(lambda: open_chain(sc), 30, "client2's splice with two handoffs")
        for line in held_by_switch(sc, open_chain(sc), fast):
            say('   ' + line)
        say()
        m = sc.metrics()
        say('5. Controller counters: %d handoffs, %d new connections, %d packet-ins (the 10 MB download alone is about'
            ' 7,000 packets); handoff latency (POST to committed) p50 %.1f ms, p99 %.1f ms; fast path: %s,'
            ' %d map entries.' % (m.get('handoffs_applied', 0), m.get('new_connections', 0), m.get('packet_in', 0),
                                  m.get('handoff_latency_us_p50', 0) / 1000, m.get('handoff_latency_us_p99', 0) / 1000,
                                  m.get('fast_path', '?'), m.get('fast_path_entries', 0)))
        say()
        say('Cleaning up (logs were in %s).' % workdir)
    finally:
        sc.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
