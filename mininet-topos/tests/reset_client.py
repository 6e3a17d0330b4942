"""Runs inside a client host: one request from a fixed client port, read to its end, and then the
connection is reset (SO_LINGER 0), as wrk closes its connections at the end of a run. No TIME_WAIT
is left behind, so the same port can connect again at once. Usage: reset_client.py VIP PORT PATH.
Prints the response's status line."""

import socket
import struct
import sys

vip, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', port))
s.settimeout(20)
s.connect((vip, 80))
s.sendall(('GET %s HTTP/1.1\r\nHost: service\r\n\r\n' % path).encode())
data = b''
while b'\r\n\r\n' not in data:
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
head, _, body = data.partition(b'\r\n\r\n')
length = int(next(line.split(b':')[1] for line in head.split(b'\r\n') if line.lower().startswith(b'content-length')))
while len(body) < length:
    chunk = s.recv(65536)
    if not chunk:
        break
    body += chunk
print(head.split(b'\r\n')[0].decode(), len(body))
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
s.close()
