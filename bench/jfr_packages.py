#!/usr/bin/env python3
"""bench/jfr_packages.py REC.jfr [TOP]: self time by top frame grouped by package, top frames, and inclusive
shares of the SIP-stack-side functions (JAIN-SIP + org.cpmrouter.sip), from jdk.ExecutionSample; allocation by
nearest non-JDK frame and package group."""
import collections, json, subprocess, sys

GROUPS = [('gov.nist.', 'javax.sip/gov.nist'), ('javax.sip.', 'javax.sip/gov.nist'),
          ('org.apache.camel.', 'org.apache.camel'),
          ('org.drools.', 'org.drools/org.kie'), ('org.kie.', 'org.drools/org.kie'),
          ('org.infinispan.', 'org.infinispan'),
          ('org.jgroups.', 'org.infinispan'), ('org.jboss.', 'org.infinispan'), ('org.cpmrouter.', 'org.cpmrouter'),
          ('ch.qos.logback.', 'logging'), ('org.slf4j.', 'logging'), ('java.', 'java.*'), ('javax.', 'java.*'),
          ('jdk.', 'java.*'), ('sun.', 'java.*')]

def group(c):
    for p, g in GROUPS:
        if c.startswith(p):
            return g
    return 'other'

def events(path, kind):
    raw = subprocess.run(['jfr', 'print', '--json', '--events', kind, '--stack-depth', '128', path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(raw)['recording']['events']

def frames(e):
    t = e['values'].get('stackTrace') or {}
    return [(f['method']['type']['name'].replace('/', '.'), f['method']['name']) for f in t.get('frames', [])]

def main():
    path, top = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10
    ev = events(path, 'jdk.ExecutionSample')
    n = 0; grp = collections.Counter(); selfs = collections.Counter(); incl = collections.Counter()
    caller_grp = collections.Counter(); threads = collections.Counter()
    for e in ev:
        fr = frames(e)
        if not fr:
            continue
        n += 1
        grp[group(fr[0][0])] += 1
        selfs['%s.%s' % fr[0]] += 1
        owner = next((group(c) for c, _ in fr if group(c) not in ('java.*', 'other')), group(fr[0][0]))
        caller_grp[owner] += 1
        name = (e['values'].get('sampledThread') or {}).get('javaName') or '?'
        threads[name.split('-')[0] if 'UDPMessageChannel' not in name else 'UDPMessageChannelThread'] += 1
        seen = set()
        for c, m in fr:
            if c.startswith('org.cpmrouter.sip') or c.startswith('gov.nist'):
                k = '%s.%s' % (c.rsplit('.', 1)[-1], m)
                if k not in seen:
                    seen.add(k); incl[k] += 1
    pct = lambda k: 100.0 * k / n
    print('%d execution samples (%s)' % (n, path))
    print('\nself time by top frame, grouped by package:')
    for g, k in grp.most_common():
        print('  %-22s %5.1f %%' % (g, pct(k)))
    print('\nsame, with java.* frames charged to their nearest non-JDK caller:')
    for g, k in caller_grp.most_common():
        print('  %-22s %5.1f %%' % (g, pct(k)))
    print('\ntop %d frames, self:' % top)
    for f, k in selfs.most_common(top):
        print('  %5.1f %%  [%s] %s' % (pct(k), group(f), f))
    print('\nSIP stack side (gov.nist + org.cpmrouter.sip), inclusive, top %d:' % (top * 3))
    for f, k in incl.most_common(top * 3):
        print('  %5.1f %%  %s' % (pct(k), f))
    print('\nthreads:')
    for t, k in threads.most_common(10):
        print('  %5.1f %%  %s' % (pct(k), t))
    al = events(path, 'jdk.ObjectAllocationSample')
    w = collections.Counter(); tot = 0; wf = collections.Counter()
    for e in al:
        fr = frames(e)
        if not fr:
            continue
        x = e['values'].get('weight', 0); tot += x
        owner = next(('%s.%s' % (c, m) for c, m in fr if not c.startswith(('java.', 'jdk.', 'sun.'))), '%s.%s' % fr[0])
        wf[owner] += x
        w[next((group(c) for c, _ in fr if group(c) not in ('java.*', 'other')), 'java.*')] += x
    if tot:
        print('\nallocation (sampled weight) by nearest non-JDK group:')
        for g, x in w.most_common():
            print('  %-22s %5.1f %%' % (g, 100.0 * x / tot))
        print('\nallocation by nearest non-JDK frame, top %d:' % (top * 2))
        for f, x in wf.most_common(top * 2):
            print('  %5.1f %%  %s' % (100.0 * x / tot, f))

main()
