"""Runs inside a client host: one request from a fixed client port, read to its end, and then the
connection ends one of two ways, leaving no TIME_WAIT behind, so the same port can connect again at
once:
- reset (default): reset (SO_LINGER 0), as wrk closes its connections at the end of a run;
- server-closes: the request says Connection: close, the server closes first and the client after
  it (a client whose peer closed first keeps no TIME_WAIT).
Usage: reset_client.py VIP PORT PATH [reset|server-closes]. Prints the response's status line, the
body's length and the seconds connect() took."""

import errno
import socket
import struct
import sys
import time

vip, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
server_closes = len(sys.argv) > 4 and sys.argv[4] == 'server-closes'
deadline = time.time() + 2
while True:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('0.0.0.0', port))
    s.settimeout(20)
    started = time.time()
    try:
        s.connect((vip, 80))
        break
    except OSError as e:
        # The port's previous connection may still await the ACK of its FIN (LAST_ACK) for a moment.
        s.close()
        if e.errno != errno.EADDRNOTAVAIL or time.time() > deadline:
            raise
        time.sleep(0.05)
connect_seconds = time.time() - started
s.sendall(('GET %s HTTP/1.1\r\nHost: service\r\n%s\r\n' % (path, 'Connection: close\r\n' if server_closes else '')).encode())
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
if server_closes:
    while s.recv(65536):
        pass  # to the server's FIN
else:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
s.close()
print(head.split(b'\r\n')[0].decode(), len(body), '%.3f' % connect_seconds)
