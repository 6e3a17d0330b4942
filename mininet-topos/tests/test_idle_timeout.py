"""The controller ends a splice that carried nothing for its idle timeout (TCP_WAIT, patent Fig. 4,
405-410), not one that is busy. With the fast path a busy splice's packets never reach the controller:
it asks the fast path when the splice's entries last translated a packet (the program notes it in the
map) before it ends the splice as idle. Without that, a transfer longer than the timeout was cut off
mid-way (measured: 4.8 of 12 MB, with the timeout at 3 s). The timeout is 4 s here (300 s by default)."""

import re

import splice_topo as topo


def test_a_download_that_outlasts_the_idle_timeout_completes_byte_exact(short_idle):
    digest = short_idle.write_file(2, 'b/slow', 12 * 1024 * 1024, 'longer than three idle timeouts')
    short_idle.steer_next_connection_to(1)
    before = short_idle.metrics()
    client = short_idle.client(1)
    # About 12 s at 1 MB/s: three idle timeouts, with packets all the way. The client's receive buffer
    # is kept small: with Linux's default (up to 6 MB) the last seconds are read from it with nothing on
    # the wire, and the splice is then rightly idle.
    rmem = client.cmd('sysctl -n net.ipv4.tcp_rmem').strip()
    client.cmd('sysctl -qw net.ipv4.tcp_rmem="4096 65536 131072"')
    try:
        out = client.cmd('curl -s -m 60 --limit-rate 1M -o /tmp/tcpsplice-slow.bin -w "%%{http_code}\\n" '
                         'http://%s/b/slow; sha256sum /tmp/tcpsplice-slow.bin' % topo.VIP)
    finally:
        client.cmd('sysctl -qw net.ipv4.tcp_rmem="%s"' % rmem)
    after = short_idle.metrics()
    assert re.search(r'^200\r?$', out, re.M), out
    assert out.split()[-2] == digest, '12 MB byte-exact through the splice:\n' + out
    assert after['handoffs_applied'] == before.get('handoffs_applied', 0) + 1, after
    assert after.get('splices_ended_IDLE', 0) == before.get('splices_ended_IDLE', 0), \
        'a busy splice did not end as idle: %s' % after


def test_an_idle_splice_ends_after_the_timeout(short_idle):
    short_idle.write_file(2, 'b/idle', 1000, 'then nothing')
    short_idle.steer_next_connection_to(1)
    before = short_idle.metrics()
    # One request on a keep-alive connection that then stays open and silent (curl --keepalive-time is
    # far longer than the test), until its splice has expired.
    client = short_idle.client(1)
    client.cmd('python3 -c "import socket,time; s=socket.create_connection((\'%s\',80)); '
               's.sendall(b\'GET /b/idle HTTP/1.1\\\\r\\\\nHost: x\\\\r\\\\n\\\\r\\\\n\'); s.recv(4096); time.sleep(12)" &'
               % topo.VIP)
    short_idle.wait_for(lambda: short_idle.metrics(quiet=True).get('splices_ended_IDLE', 0)
                        > before.get('splices_ended_IDLE', 0), 15, 'the silent splice to end as idle')
