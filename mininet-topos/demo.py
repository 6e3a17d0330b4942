"""The demo: the whole system in Mininet with live handoffs, narrated.

Run as root with the system Python after a build: /usr/bin/python3 mininet-topos/demo.py [--slow-path]
(scripts/demo.sh does the setup and the build first). By default the XDP fast path is attached to the
switch's ports; --slow-path (or a host where XDP cannot attach) runs every spliced packet through the
controller instead.
"""

import argparse
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import splice_topo as topo  # noqa: E402
from scenario import Scenario  # noqa: E402


def say(text=''):
    print(text, flush=True)


def start(workdir, offload):
    """The running scenario, with the fast path if asked and possible; otherwise on the slow path, said so."""
    if offload:
        try:
            return Scenario(workdir, clients=2, nodes=3, agents=True, offload=True).__enter__()
        except Exception as e:  # noqa: BLE001 - any failure to attach falls back, loudly (the scenario cleaned up)
            say('   The XDP fast path could not be attached (%s); running on the slow path.' % e)
    return Scenario(workdir, clients=2, nodes=3, agents=True).__enter__()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--slow-path', action='store_true', help='do not attach the XDP fast path')
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix='tcpsplice-demo-')
    say('Starting: Open vSwitch (userspace datapath) in Mininet, the controller, 3 nodes with a node agent in front')
    say('of nginx, 2 clients. The service is %s:80. Content rules on every node: /a/ node1, /b/ node2, /c/ node3.'
        % topo.VIP)
    sc = start(workdir, not args.slow_path)
    try:
        fast = sc.offload
        say('Mode: %s' % ('XDP fast path on the switch ports (the newest range of each splice is rewritten before OVS;'
                          ' older ranges go to the controller)' if fast else
                          'slow path (every spliced packet is translated by the controller)'))
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
        say('4. The switch flows of the first splice (ovs-ofctl dump-flows s1): every 4-tuple goes to the controller,')
        say('   which maps and translates it (no OpenFlow switch can rewrite TCP seq/ack)'
            + ('; above them, two in_port rules forward what XDP has already translated:' if fast else ':'))
        port = splices[0]['clientKey'].split('->')[0].split(':')[1]
        cookie = next(f.split(',')[0] for f in sc.dump_flows() if 'priority=40000' in f and 'tp_src=%s,' % port in f)
        # The client's first splice is the Figure 2 chain: show the one splice's rules, newest first.
        for flow in sc.dump_flows():
            if flow.startswith(cookie + ','):
                say('   ' + flow[len(cookie) + 2:])
        say()
        m = sc.metrics()
        say('5. Controller counters: %d handoffs, %d new connections, %d packet-ins (the 10 MB download alone is about'
            ' 7,000 packets); handoff latency (POST to rules confirmed) p50 %.1f ms, p99 %.1f ms; fast path: %s,'
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
