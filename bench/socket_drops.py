#!/usr/bin/env python3
"""bench/socket_drops.py OUT PORT...: until stopped (SIGTERM), reads /proc/net/udp every 0.2 s and keeps, for each
127.0.0.1 UDP port named, the highest count of datagrams the kernel dropped at that socket because its receive
buffer was full; on SIGTERM writes one line per port to OUT: "PORT DROPS". A socket's count starts at 0 when it is
opened and goes with it, so a load generator's socket must be watched while it runs. Which socket drops tells who
could not keep up: the system under test (its socket) or the load generator (the responses it never read)."""
import signal, sys, time

out, ports = sys.argv[1], {int(p): 0 for p in sys.argv[2:]}


def sample():
    try:
        lines = open('/proc/net/udp').read().splitlines()[1:]
    except OSError:
        return
    for line in lines:
        f = line.split()
        local_ip, local_port = f[1].split(':')
        port = int(local_port, 16)
        if local_ip == '0100007F' and port in ports:
            ports[port] = max(ports[port], int(f[-1]))


def finish(*_):
    sample()
    with open(out, 'w') as o:
        for port, drops in ports.items():
            o.write('%d %d\n' % (port, drops))
    sys.exit(0)


signal.signal(signal.SIGTERM, finish)
while True:
    sample()
    time.sleep(0.2)
