"""Hand-made TCP segments for the tests and benchmarks (no scapy on these machines): the kernel adds
the IP header (a raw IPPROTO_TCP socket), this module the TCP header and its checksum."""

import socket
import struct

SYN, PSH_ACK, ACK = 0x02, 0x18, 0x10


def checksum(data):
    if len(data) % 2:
        data += b'\0'
    total = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def segment(src, sport, dst, dport, seq, ack, flags, payload=b''):
    header = struct.pack('!HHIIBBHHH', sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack('!BBH', 0, 6, len(header) + len(payload))
    csum = checksum(pseudo + header + payload)
    return header[:16] + struct.pack('!H', csum) + header[18:] + payload


def raw_socket():
    return socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)


if __name__ == '__main__':
    # python3 raw_tcp.py syns SRC DST FIRST_PORT COUNT: one SYN per source port, in order.
    import sys
    import time
    _, what, src, dst, first, count = sys.argv
    assert what == 'syns'
    s = raw_socket()
    for port in range(int(first), int(first) + int(count)):
        s.sendto(segment(src, port, dst, 80, 1000, 0, SYN), (dst, 0))
        if port % 50 == 0:
            time.sleep(0.05)  # paced below what the controller takes (about 1,200 new connections/s)
