#!/usr/bin/env python3
"""Summarises the fan-out summary lines a router wrote during one measured phase of bench/fanout.sh.

usage: fanout_summary.py group|list LOG N RATE DURATION SIPP_RC

The phase starts at the first line of the role that accepted a message (the Controlling Function for a group, the
URI-list service for a list) and ends at the last fan-out summary line; copies per second are counted over that span.
"""
import datetime
import re
import sys

KINDS = {
    # kind: (the accepting role's log line, the fan-out summary line, what the two output lines call things)
    'group': (r'controlling callId=', r'fanout callId=\S+ group=\S+ sender=\S+ members=(\d+)',
              ('group messages', 'accepted-and-fanned-out', 'member deliveries=', 'deliveries/s', 'members',
               'messages/s')),
    'list': (r'uri-list callId=', r'fanout callId=\S+ list=\S+ sender=\S+ recipients=(\d+)',
             ('list messages', 'accepted-and-sent', 'list copies delivered=', 'copies/s', 'recipients per list',
              'list messages/s')),
}


def main(kind, log, n, rate, dur, rc):
    accepted_line, summary_line, words = KINDS[kind]
    summary = re.compile(r'(\d\d:\d\d:\d\d\.\d+) .*' + summary_line + r' delivered=(\d+) failed=(\d+)')
    accepted = re.compile(r'(\d\d:\d\d:\d\d\.\d+) .*' + accepted_line)
    at = lambda s: datetime.datetime.strptime(s, '%H:%M:%S.%f')
    first = last = None
    delivered = failed = runs = 0
    for line in open(log):
        m = summary.match(line)
        c = accepted.match(line)
        if c and first is None:
            first = at(c.group(1))
        if m:
            runs += 1
            delivered += int(m.group(3))
            failed += int(m.group(4))
            last = at(m.group(1))
    secs = (last - first).total_seconds() if first and last else float('nan')
    offered, done, copies, per_s, per, rate_unit = words
    print(f'{offered} offered={rate * dur} {done}={runs} sipp_rc={rc}')
    print(f'{copies}{delivered} failed={failed} over {secs:.1f} s -> {delivered / secs:.0f} {per_s} '
          f'({n} {per}, {rate} {rate_unit} offered)')


if __name__ == '__main__':
    if len(sys.argv) != 7 or sys.argv[1] not in KINDS:
        sys.exit('usage: fanout_summary.py group|list LOG N RATE DURATION SIPP_RC')
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
