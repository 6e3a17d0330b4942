"""A client that holds one keep-alive connection open between two requests, for tests that change
something (the controller, the fast path, ONOS's hosts) while a spliced connection idles."""

import splice_topo as topo


def keep_alive_client(sc, first, second, name):
    """A client on one keep-alive connection: `first`, then waits for a go, then `second`. Returns
    (go, answers): call go() to send the second request, answers() for the bodies so far."""
    client = sc.client(1)
    fifo, out = '/tmp/tcpsplice-%s.fifo' % name, '/tmp/tcpsplice-%s.txt' % name
    client.cmd('rm -f %s %s; mkfifo %s' % (fifo, out, fifo))
    client.cmd('python3 - > %s 2>&1 <<EOP &\n'
               'import socket\n'
               's = socket.create_connection(("%s", 80))\n'
               'def get(path):\n'
               '    s.sendall(("GET %%s HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n" %% path).encode())\n'
               '    data = b""\n'
               '    while b"\\r\\n\\r\\n" not in data or b"\\n" not in data.split(b"\\r\\n\\r\\n", 1)[1]:\n'
               '        chunk = s.recv(4096)\n'
               '        if not chunk: break\n'
               '        data += chunk\n'
               '    return data.split(b"\\r\\n\\r\\n", 1)[-1].decode().strip()\n'
               'print(get("%s"), flush=True)\n'
               'open("%s").read()\n'
               'print(get("%s"), flush=True)\n'
               'EOP' % (out, topo.VIP, first, fifo, second))
    return (lambda: client.cmd('echo go > %s' % fifo),
            lambda: client.cmd('cat %s' % out).strip().splitlines())
