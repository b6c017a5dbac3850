#!/usr/bin/env python3
"""The report of bench/compare.sh: min and median over the runs of each figure, the router/Kamailio ratios and the
targets of issues 7 and 17. Usage: compare_report.py RESULTS_DIR (reads RESULTS_DIR/results.tsv: run, key, value)."""
import collections, os, platform, statistics, subprocess, sys

out = sys.argv[1]
values = collections.defaultdict(list)
words = {}  # the figures that are words, e.g. cold.transport: the last run's
runs = set()
for line in open(os.path.join(out, 'results.tsv')):
    run, key, value = line.rstrip('\n').split('\t')
    runs.add(run)
    try:
        values[key].append(float(value))
    except ValueError:
        words[key] = value


def mm(key, fmt='{:,.0f}'):
    v = values.get(key)
    if not v:
        return '–'
    lo, med = min(v), statistics.median(v)
    return fmt.format(lo) if len(v) == 1 else (fmt.format(lo) + ' / ' + fmt.format(med))


def med(key):
    v = values.get(key)
    return statistics.median(v) if v else None


def ratio(a, b):
    x, y = med(a), med(b)
    return '–' if not x or not y else '{:.2f}x'.format(x / y)


def machine():
    cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), '?')
    java = subprocess.run(['java', '-version'], capture_output=True, text=True).stderr.splitlines()
    return '%s, %d CPUs (%s), %s, %s; load average at the end %s' % (
        platform.node(), os.cpu_count(), cpu, platform.platform(), java[0] if java else 'java ?',
        open('/proc/loadavg').read().split()[0])


n = len(runs)
COLD_S = int(med('cold.dur_s') or 10)
# issue 17: the ready line "not later than today's (about 5 s) by more than a few seconds"
COLD_READY_LIMIT_S = 8.0
print('# bench/compare.sh, %d run%s (figures: min / median over runs)' % (n, '' if n == 1 else 's'))
print()
print('Machine: ' + machine())
print()
print('| path | highest UDP rate, 0 failed (≥: no step failed) | p50 / p90 / p99 at half that rate (ms, medians) | CPU per MESSAGE at half rate (µs) | p50, one request in flight (µs) | TCP at the fixed rate: achieved/s, failed, p99 ms |')
print('|---|---|---|---|---|---|')
rows = [('Kamailio 5.6 stateless', 'kam-sl'), ('Kamailio 5.6 stateful (tm)', 'kam-tm'),
        ('CPM Router, every role in one process', 'router'), ('bare JAIN-SIP relay (the stack alone)', 'bare'),
        ('lean UDP relay, RI messages (the bound of a lean SIP path under the routes)', 'lean-ri'),
        ('lean UDP relay, pkts-sip bytes (the bound of a lean SIP path alone)', 'lean-pkts')]
rows = [r for r in rows if r[1] in ('kam-sl', 'kam-tm', 'router', 'bare') or values.get(r[1] + '.clean_rate')]
# with BENCH_BEFORE: the router of another build, measured in the same runs
has_before = 'router-before.clean_rate' in values
if has_before:
    rows.insert(3, ('CPM Router before (the BENCH_BEFORE build, in turns with it)', 'router-before'))
for label, k in rows:
    half = '%s / %s / %s' % tuple('–' if med('%s.half.%s' % (k, p)) is None else '%.0f' % med('%s.half.%s' % (k, p))
                                  for p in ('p50_ms', 'p90_ms', 'p99_ms'))
    cpu = mm(k + '.half.sut_us_per_msg') if values.get(k + '.half.sut_us_per_msg') else mm(k + '.cpu_us_at_clean')
    tcp = '–' if not values.get(k + '.tcp.achieved_per_s') else '%s, %s, %s' % (
        mm(k + '.tcp.achieved_per_s'), mm(k + '.tcp.fail'), mm(k + '.tcp.p99_ms'))
    bound = '≥ ' if max(values.get(k + '.clean_rate_is_lower_bound', [0])) > 0 else ''
    print('| %s | %s | %s | %s | %s | %s |' % (label, bound + mm(k + '.clean_rate'), half, cpu,
                                              mm(k + '.p50_one_in_flight_us'), tcp))
print()
print('Ratios (medians): router / Kamailio stateful clean rate **%s**, router / Kamailio stateless **%s**, '
      'router / bare JAIN-SIP relay %s; CPU per message router / Kamailio stateful %s; '
      'p50 with one request in flight router / Kamailio stateful **%s**.' % (
          ratio('router.clean_rate', 'kam-tm.clean_rate'), ratio('router.clean_rate', 'kam-sl.clean_rate'),
          ratio('router.clean_rate', 'bare.clean_rate'),
          ratio('router.half.sut_us_per_msg', 'kam-tm.half.sut_us_per_msg'),
          ratio('router.p50_one_in_flight_us', 'kam-tm.p50_one_in_flight_us')))
if has_before:
    print()
    print('Router after / before (medians): clean rate %s, CPU per message %s, p50 with one request in flight %s, '
          'overload goodput %s.' % (
              ratio('router.clean_rate', 'router-before.clean_rate'),
              ratio('router.half.sut_us_per_msg', 'router-before.half.sut_us_per_msg'),
              ratio('router.p50_one_in_flight_us', 'router-before.p50_one_in_flight_us'),
              ratio('router.overload.goodput', 'router-before.overload.goodput')))
print()
print('Overload, offered twice the clean rate of the same run:')
print()
print('| system | goodput (messages/s) | goodput in % of the clean rate | retransmissions | datagrams dropped at the '
      'load generator\'s socket; at the system\'s socket |')
print('|---|---|---|---|---|')
for label, key in (('CPM Router with overload control (503 + Retry-After)', 'router.overload'),
                   ('CPM Router without overload control', 'router.overload_off'),
                   ('CPM Router before, with overload control', 'router-before.overload'),
                   ('Kamailio stateful (tm)', 'kam-tm.overload')):
    if key.startswith('router-before') and not has_before:
        continue
    drops = '–' if not values.get(key + '.dropped_at_load_generator') else '%s; %s' % (
        mm(key + '.dropped_at_load_generator'), mm(key + '.dropped_at_system'))
    print('| %s | %s | %s | %s | %s |' % (label, mm(key + '.goodput'), mm(key + '.goodput_pct_of_clean'),
                                          mm(key + '.retrans'), drops))
print()
print('Router memory under load: RSS at most %s MB; heap in use after the half-rate step %s MB.' % (
    mm('router.rss_max_mb'), mm('router.heap_used_mb_after_half')))
print('Group fan-out (100 members): %s member deliveries/s of %s offered, %s failed.' % (
    mm('fanout.member_deliveries_per_s'), mm('fanout.offered_deliveries_per_s'), mm('fanout.failed')))
if 'fanout.list_copies_per_s' in values:
    print('URI list (100 entries, same router, same run): %s copies delivered/s of %s offered, %s failed.' % (
        mm('fanout.list_copies_per_s'), mm('fanout.list_offered_copies_per_s'), mm('fanout.list_failed')))
if values.get('cold.ready_s'):
    print()
    print('| cold start: %s MESSAGE/s over %s from the ready line | ready line after (s, from process start) | bob '
          'registered (ms after ready) | failed in the first %s s | failed %% | retransmissions | p50 / p99 (ms, '
          'medians) |' % ('{:,.0f}'.format(med('cold.offered') / COLD_S) if med('cold.offered') else '?',
                          words.get('cold.transport', 'udp').upper(), COLD_S))
    print('|---|---|---|---|---|---|---|')
    print('| CPM Router (load average at start %s) | %s | %s | %s | %s | %s | %s / %s |' % (mm('cold.load1_at_start', '{:.1f}'),
        mm('cold.ready_s', '{:.2f}'), mm('cold.register_ms'), mm('cold.fail'), mm('cold.fail_pct', '{:.2f}'),
        mm('cold.retrans'), *('–' if med(k) is None else '{:,.0f}'.format(med(k)) for k in ('cold.p50_ms', 'cold.p99_ms'))))
    print()
rules = sorted(k for k in values if k.startswith('rules.'))
if rules:
    print('Rule decision, CPU µs (shipped rules, one thread, no listener): ' + ', '.join(
        '%s %s' % (k[len('rules.'):-len('_us')].replace('_', ' '), mm(k, '{:.1f}')) for k in rules) + '.')
print()


def target(name, ok):
    print('- %s: %s' % (name, 'n/a' if ok is None else ('met' if ok else '**not met**')))


def cmp(a, b, f=lambda x, y: x >= y):
    x, y = med(a), med(b)
    return None if x is None or y is None else f(x, y)


print('Targets of issue 7 (medians):')
target('user-to-user rate at or above Kamailio stateful, 0 failures', cmp('router.clean_rate', 'kam-tm.clean_rate'))
target('stretch: at or above Kamailio stateless', cmp('router.clean_rate', 'kam-sl.clean_rate'))
target('p99 under 10 ms at half the clean rate', None if med('router.half.p99_ms') is None
       else med('router.half.p99_ms') < 10)
target('p50 with one request in flight within 1.25x Kamailio stateful',
       cmp('router.p50_one_in_flight_us', 'kam-tm.p50_one_in_flight_us', lambda x, y: x <= 1.25 * y))
decision = [med(k) for k in rules if 'message' not in k and 'group' not in k]
target('one rule decision under 20 µs', None if not decision else max(decision) < 20)
target('goodput at twice the clean rate at least 80 % of the clean rate', None
       if med('router.overload.goodput_pct_of_clean') is None else med('router.overload.goodput_pct_of_clean') >= 80)
print()
print('Targets of issue 17 (medians):')
target('clean UDP rate at least 0.5x Kamailio stateful, 0 failures',
       cmp('router.clean_rate', 'kam-tm.clean_rate', lambda x, y: x >= 0.5 * y))
target('stretch: clean UDP rate at least 1.0x Kamailio stateful', cmp('router.clean_rate', 'kam-tm.clean_rate'))
target('CPU per MESSAGE at half the clean rate at most 100 µs', None if med('router.half.sut_us_per_msg') is None
       else med('router.half.sut_us_per_msg') <= 100)
target('p50 with one request in flight at most 1.5x Kamailio stateful',
       cmp('router.p50_one_in_flight_us', 'kam-tm.p50_one_in_flight_us', lambda x, y: x <= 1.5 * y))
target('group fan-out member deliveries/s at least the router\'s user-to-user clean rate',
       cmp('fanout.member_deliveries_per_s', 'router.clean_rate'))
target('overload goodput at least 80 % of the clean rate', None
       if med('router.overload.goodput_pct_of_clean') is None else med('router.overload.goodput_pct_of_clean') >= 80)
target('cold start: at most 1 %% failed in the first %d s from the ready line' % COLD_S,
       None if med('cold.fail_pct') is None else med('cold.fail_pct') <= 1.0)
target('cold start: ready line at most %.0f s after process start' % COLD_READY_LIMIT_S,
       None if med('cold.ready_s') is None else med('cold.ready_s') <= COLD_READY_LIMIT_S)
print()
print('Per-run files: %s (summary lines also in bench/results/summary.tsv).' % out)
