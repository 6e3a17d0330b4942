"""A pipelining HTTP/1.1 client for the end-to-end tests: sends every path on one connection, `gap`
seconds apart, without waiting for answers, then reads the answers and prints one body per line.
Usage: pipelining_client.py VIP GAP_SECONDS PATH..."""

import socket
import sys
import threading
import time


def main():
    vip, gap, paths = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    s = socket.create_connection((vip, 80))
    s.settimeout(20)

    def send():
        for p in paths:
            s.sendall(('GET %s HTTP/1.1\r\nHost: x\r\n\r\n' % p).encode())
            time.sleep(gap)

    sender = threading.Thread(target=send)
    sender.start()
    data = b''
    bodies = []
    try:
        while len(bodies) < len(paths):
            while b'\r\n\r\n' not in data:
                chunk = s.recv(65536)
                if not chunk:
                    raise EOFError('connection closed after %d answers' % len(bodies))
                data += chunk
            head, data = data.split(b'\r\n\r\n', 1)
            length = int([h.split(b':', 1)[1] for h in head.split(b'\r\n') if h.lower().startswith(b'content-length:')][0])
            while len(data) < length:
                chunk = s.recv(65536)
                if not chunk:
                    raise EOFError('connection closed inside answer %d' % (len(bodies) + 1))
                data += chunk
            bodies.append(data[:length].decode().strip())
            data = data[length:]
    except (OSError, EOFError) as e:
        bodies.append('ERROR %s' % e)
    sender.join()
    print('\n'.join(bodies), flush=True)


if __name__ == '__main__':
    main()
