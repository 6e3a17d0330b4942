"""Runs inside a client host: one keep-alive connection through the Fig. 2 chain (A, then B, then C),
then, from the same host, a retransmission of the /c/ request and a duplicate ACK as a client sends
them when its packets or the server's ACKs were lost: both belong to an older range of the splice.
Then one more request on the same connection. Usage: old_range_client.py VIP PARAMS_FILE.

The test writes PARAMS_FILE once it has read the splice's handoff points from the controller:
{"seq": first seq of the /c/ request, "ack": an ack inside B's range}. Prints one line per step."""

import json
import os
import socket
import struct
import sys
import time

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


def checksum(data):
    if len(data) % 2:
        data += b'\0'
    total = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def raw_segment(src, sport, dst, dport, seq, ack, payload):
    """A TCP segment (ACK|PSH when it has payload) with a correct checksum; the kernel adds the IP header."""
    flags = 0x18 if payload else 0x10
    header = struct.pack('!HHIIBBHHH', sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack('!BBH', 0, 6, len(header) + len(payload))
    csum = checksum(pseudo + header + payload)
    return header[:16] + struct.pack('!H', csum) + header[18:] + payload


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
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
raw.sendto(raw_segment(local_ip, local_port, vip, 80, params['seq'], params['ack'], c_request), (vip, 0))
raw.sendto(raw_segment(local_ip, local_port, vip, 80, params['seq'] + len(c_request), params['ack'], b''), (vip, 0))
print('injected', flush=True)
time.sleep(0.5)
print(get(s, '/c/who')[1], flush=True)
