"""Keep-alive connections whose requests rotate over every node's content and a local path, each body
checked against the node that must serve it. Run inside a client's namespace:

    python3 rotating_client.py HOST CONNECTIONS SECONDS

Prints one JSON line: requests answered, how many bodies were wrong (with the first few), how many
answers were not 2xx, socket errors (connect, reset, a connection closed mid-answer), and the
requests each connection completed at the least.
"""

import asyncio
import json
import re
import sys
import time

PATHS = ['/a/who', '/b/who', '/c/who', '/whoami']
# Who must answer each path: the content rules the harness gives the agents; /whoami the connection's node.
EXPECT = {'/a/who': re.compile(r'node1 serves /a/who'), '/b/who': re.compile(r'node2 serves /b/who'),
          '/c/who': re.compile(r'node3 serves /c/who'), '/whoami': re.compile(r'node[1-9]')}


async def read_answer(reader):
    """(status, body) of one HTTP/1.1 answer with a Content-Length."""
    head = await reader.readuntil(b'\r\n\r\n')
    lines = head.decode('latin-1').split('\r\n')
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(':')
        if name.strip().lower() == 'content-length':
            length = int(value)
    body = await reader.readexactly(length)
    return status, body.decode('latin-1').strip()


async def one_connection(host, index, deadline, totals):
    done = 0
    try:
        reader, writer = await asyncio.open_connection(host, 80)
    except OSError as e:
        totals['socket_errors'].append('connect: %s' % e)
        return 0
    try:
        while time.time() < deadline:
            path = PATHS[(index + done) % len(PATHS)]
            writer.write(('GET %s HTTP/1.1\r\nHost: rotating\r\n\r\n' % path).encode())
            status, body = await read_answer(reader)
            totals['requests'] += 1
            if not 200 <= status < 300:
                totals['non_2xx'] += 1
            elif not EXPECT[path].fullmatch(body):
                totals['wrong'].append('%s -> %r' % (path, body[:80]))
            done += 1
        writer.close()
    except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as e:
        totals['socket_errors'].append('connection %d after %d requests: %r' % (index, done, e))
    return done


async def main(host, connections, seconds):
    totals = {'requests': 0, 'wrong': [], 'non_2xx': 0, 'socket_errors': []}
    deadline = time.time() + seconds
    per_connection = await asyncio.gather(*(one_connection(host, i, deadline, totals) for i in range(connections)))
    print(json.dumps({'requests': totals['requests'], 'wrong': len(totals['wrong']), 'first_wrong': totals['wrong'][:5],
                      'non_2xx': totals['non_2xx'], 'socket_errors': len(totals['socket_errors']),
                      'first_socket_errors': totals['socket_errors'][:5], 'fewest_per_connection': min(per_connection)}))


if __name__ == '__main__':
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3])))
