#!/usr/bin/env python3
"""Where the router's CPU goes, from a JFR recording (jdk.ExecutionSample events).

  bench/jfr_top.py RECORDING.jfr [TOP]

Prints the share of samples per component (JAIN-SIP, Drools, Camel, router, Infinispan, logging, JDK...), where a
sample in JDK code (collections, strings, regex...) is charged to the component that called it, then the TOP
methods by samples where they are the top frame (self) and the TOP methods of the router's own code by inclusive
samples. Needs `jfr` of the JDK on the PATH.
"""
import collections, json, subprocess, sys

COMPONENTS = [  # first match wins: (prefix of the class name, component)
    ('gov.nist.', 'JAIN-SIP'), ('javax.sip.', 'JAIN-SIP'), ('android.gov.nist.', 'JAIN-SIP'),
    ('org.drools.', 'Drools'), ('org.kie.', 'Drools'), ('org.cpmrouter.policy.', 'Drools (generated rules)'),
    ('org.apache.camel.', 'Camel'),
    ('org.cpmrouter.', 'router'),
    ('org.infinispan.', 'Infinispan'), ('org.jgroups.', 'Infinispan'), ('org.jboss.', 'Infinispan'),
    ('ch.qos.logback.', 'logging'), ('org.slf4j.', 'logging'),
]
JDK = ('java.', 'javax.', 'jdk.', 'sun.', 'com.sun.')


def component(cls):
    for prefix, name in COMPONENTS:
        if cls.startswith(prefix):
            return name
    return 'JDK' if cls.startswith(JDK) else 'other'


def frames_of(event):
    trace = event['values'].get('stackTrace') or {}
    out = []
    for f in trace.get('frames', []):
        m = f['method']
        cls = m['type']['name'].replace('/', '.')
        out.append((cls, m['name']))
    return out


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    raw = subprocess.run(['jfr', 'print', '--json', '--events', 'jdk.ExecutionSample', '--stack-depth', '96', path],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(raw)['recording']['events']
    owners, selfs, router_incl, threads = (collections.Counter() for _ in range(4))
    n = 0
    for e in events:
        frames = frames_of(e)
        if not frames:
            continue
        n += 1
        threads[(e['values'].get('sampledThread') or {}).get('javaName') or '?'] += 1
        owner = next((component(c) for c, _ in frames if component(c) not in ('JDK', 'other')), None)
        owners[owner or component(frames[0][0])] += 1
        selfs['%s.%s' % frames[0]] += 1
        seen = set()
        for c, m in frames:
            if c.startswith('org.cpmrouter.') and not c.startswith('org.cpmrouter.policy.'):
                key = '%s.%s' % (c.rsplit('.', 1)[-1], m)
                if key not in seen:
                    seen.add(key)
                    router_incl[key] += 1
    if not n:
        print('no execution samples in %s' % path)
        return
    pct = lambda k: 100.0 * k / n
    print('%d execution samples in %s' % (n, path))
    print('\nshare by component (JDK code charged to its caller):')
    for name, k in owners.most_common():
        print('  %-26s %5.1f %%' % (name, pct(k)))
    print('\ntop %d methods, self:' % top)
    for name, k in selfs.most_common(top):
        print('  %5.1f %%  %s' % (pct(k), name))
    print('\ntop %d router methods, inclusive:' % top)
    for name, k in router_incl.most_common(top):
        print('  %5.1f %%  %s' % (pct(k), name))
    print('\nthreads:')
    for name, k in threads.most_common(8):
        print('  %5.1f %%  %s' % (pct(k), name))


if __name__ == '__main__':
    main()
