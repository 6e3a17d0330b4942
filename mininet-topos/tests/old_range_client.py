"""Runs inside a client host: one keep-alive connection through the Fig. 2 chain (A, then B, then C),
then, from the same host, a retransmission of the /c/ request and a duplicate ACK as a client sends
them when its packets or the server's ACKs were lost: both belong to an older range of the splice.
Then one more request on the same connection. Usage: old_range_client.py VIP PARAMS_FILE.

The test writes PARAMS_FILE once it has read the splice's handoff points from the controller:
{"seq": first seq of the /c/ request, "ack": an ack inside B's range}. Prints one line per step."""

import json
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import raw_tcp  # noqa: E402

vip, params_file = sys.argv[1], sys.argv[2]


def get(s, path):
    request = ('GET %s HTTP/1.1\r\nHost: service\r\n\r\n' % path).encode()
    s.sendall(request)
    data = b''
    while b'\r\n\r\n' not in data:
        data += s.recv(4096)
    head, body = data.split(b'\r\n\r\n', 1)
    length = int([line.split(b':')[1] for line in head.split(b'\r\n') if line.lower().startswith(b'content-length')][0])
    while len(body) < length:
        body += s.recv(4096)
    return request, body.decode().strip()


s = socket.create_connection((vip, 80))
local_ip, local_port = s.getsockname()
for path in ('/a/who', '/b/who'):
    print(get(s, path)[1], flush=True)
c_request, answer = get(s, '/c/who')
print(answer, flush=True)
print('port %d request %d' % (local_port, len(c_request)), flush=True)

deadline = time.time() + 30
while not os.path.exists(params_file) and time.time() < deadline:
    time.sleep(0.05)
params = json.load(open(params_file))
raw = raw_tcp.raw_socket()
raw.sendto(raw_tcp.segment(local_ip, local_port, vip, 80, params['seq'], params['ack'], raw_tcp.PSH_ACK, c_request),
           (vip, 0))
raw.sendto(raw_tcp.segment(local_ip, local_port, vip, 80, params['seq'] + len(c_request), params['ack'], raw_tcp.ACK),
           (vip, 0))
print('injected', flush=True)
time.sleep(0.5)
print(get(s, '/c/who')[1], flush=True)
