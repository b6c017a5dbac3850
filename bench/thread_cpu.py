#!/usr/bin/env python3
"""CPU time of one process by thread kind, between two snapshots (Linux /proc; no agent, no sampling).

  bench/thread_cpu.py snap PID FILE            # save every thread's CPU ticks
  bench/thread_cpu.py delta PID FILE [COUNT]   # print CPU per kind since the snapshot (and per COUNT messages)

Threads are grouped by name with digits removed ("UDPMessageChannelThread-3" and "-5" are one kind), so the
JIT compiler, the garbage collector, the SIP stack's workers, its timer and the log appender show apart.
"""
import json, os, re, sys

TICK = os.sysconf('SC_CLK_TCK')


def threads(pid):
    out = {}
    base = '/proc/%s/task' % pid
    for tid in os.listdir(base):
        try:
            with open('%s/%s/stat' % (base, tid)) as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index('(') + 1:stat.rindex(')')]
        fields = stat[stat.rindex(')') + 2:].split()
        out[tid] = (name, int(fields[11]) + int(fields[12]))
    return out


def kind(name):
    return re.sub(r'[0-9]+', '#', name).strip(' -#') or name


def main():
    cmd, pid, path = sys.argv[1:4]
    if cmd == 'snap':
        with open(path, 'w') as f:
            json.dump(threads(pid), f)
        return
    before = json.load(open(path))
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    by_kind = {}
    for tid, (name, ticks) in threads(pid).items():
        used = ticks - (before[tid][1] if tid in before else 0)
        by_kind[kind(name)] = by_kind.get(kind(name), 0) + used
    total = sum(by_kind.values()) or 1
    print('thread kind                       CPU s   share' + ('   us/msg' if count else ''))
    for k, t in sorted(by_kind.items(), key=lambda kv: -kv[1]):
        if t <= 0:
            continue
        line = '%-30s %8.2f %6.1f %%' % (k[:30], t / TICK, 100.0 * t / total)
        if count:
            line += ' %8.1f' % (t / TICK / count * 1e6)
        print(line)
    print('%-30s %8.2f' % ('total', total / TICK) + ('          %8.1f' % (total / TICK / count * 1e6) if count else ''))


if __name__ == '__main__':
    main()
