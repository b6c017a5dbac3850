#!/usr/bin/env python3
"""One row per RFC 4475 torture message: the RFC's expectation, the router's answer, and whether the router still
answers a valid request after it.

  python3 torture_table.py CORPUS_DIR --target 127.0.0.1:5060 [--lport 5098] [--reply-wait 0.3]

Each request goes out with our own top Via (127.0.0.1:LPORT, rport, a branch of its own), so an answer is told
apart from a late retransmission of an earlier one by its branch; a non-2xx final answer to an INVITE is
acknowledged (RFC 3261 section 17.1.1.3) so that the router stops retransmitting it. A case that writes its own top
Via (bench/torture-cases: a bad Via port must be on top) says $BRANCH and $LPORT where ours would go, and gets no
Via added. Responses in the corpus are sent as they are. Every answer must be framed right: CRLF line ends, no
control character outside a quoted-pair, one Content-Length equal to the body. After every case an OPTIONS must be
answered within --probe-timeout.
SECTION_MAP.txt: "section case EXPECT kind: text", EXPECT "-" (what the kind allows), a status the answer must have,
or "drop" (no answer at all).
Loopback only. Exit status: 0 all as expected, 1 an answer the RFC does not allow, 2 the router stopped answering.
"""
import argparse, ipaddress, os, re, socket, sys, time

# What RFC 4475 itself says where SECTION_MAP.txt's one-line summary is not the whole story.
RFC_NOTES = {
    'badvers': (505, 'RFC 4475 3.1.2.16: respond 505 Version Not Supported'),
    'mcl01': (400, 'RFC 4475 3.3.9: multiple differing Content-Length values: 400'),
    'multi01': (400, 'RFC 4475 3.3.8: multiple Call-ID, To, From, Max-Forwards, CSeq: 400'),
    'insuf': (None, 'RFC 4475 3.3.1: must not break; no From, To or Call-ID to address a 400 with'),
    'lwsstart': (None, 'RFC 4475 3.1.2.9: extra SP in the Request-Line may be ignored'),
    'trws': (None, 'RFC 4475 3.1.2.10: SP at the end of the Request-Line may be ignored'),
    'escruri': (None, 'RFC 4475 3.1.2.11: 400, or the escaped headers may be ignored'),
    'baddate': (None, 'RFC 4475 3.1.2.12: 400, or the non-GMT Date may be ignored'),
    'regbadct': (None, 'RFC 4475 3.1.2.13: 400, or the Contact read liberally'),
    'badaspec': (None, 'RFC 4475 3.1.2.14: 400, or the addr-spec read liberally'),
    'baddn': (None, 'RFC 4475 3.1.2.15: 400, or the display name read liberally'),
}
# Invalid requests an element may nevertheless take (the notes above say how).
LIBERAL = {'lwsstart', 'trws'}
# Valid-marked cases that cannot be answered at all: dropping them is what the RFC allows.
UNADDRESSABLE = {'insuf'}


def section_map(path):
    expect = {}
    for line in open(path):
        parts = line.split(None, 3)
        if len(parts) == 4:
            required = int(parts[2]) if parts[2].isdigit() else (parts[2] if parts[2] == 'drop' else None)
            expect[parts[1]] = (parts[0], parts[3].strip(), required)
    return expect


def misframed(data):
    """What is wrong with how an answer is framed on the wire (the head, its line ends, Content-Length); None."""
    text = data.decode('latin-1')
    end = text.find('\r\n\r\n')
    if end < 0:
        return 'no blank line ends the head'
    lines = text[:end].split('\r\n')
    if not re.fullmatch(r'SIP/2\.0 [1-6][0-9]{2} [^\x00-\x1f\x7f]*', lines[0]):
        return 'bad status line'
    lengths = []
    for line in lines[1:]:
        m = re.match(r'([A-Za-z0-9.!%*_+`\'~-]+)[ \t]*:', line)
        if not m or '\r' in line or '\n' in line:
            return 'bad header line %r' % line[:40]
        quotable, quoted, i = m.group(1).lower() not in ('call-id', 'i'), False, 0
        while i < len(line):
            c = line[i]
            if quoted and c == '\\':
                i += 1
            elif c == '"' and quotable:
                quoted = not quoted
            elif (ord(c) < 0x20 and c != '\t') or ord(c) == 0x7f:
                return 'control character in %s' % m.group(1)
            i += 1
        if m.group(1).lower() in ('content-length', 'l'):
            lengths.append(line[m.end():].strip())
    if len(lengths) != 1 or not lengths[0].isdigit():
        return 'Content-Length %r' % lengths
    body = len(data) - end - 4
    return None if int(lengths[0]) == body else 'Content-Length %s, body %d' % (lengths[0], body)


def first_line(data):
    return data.split(b'\r\n', 1)[0].decode('latin-1')


def header(text, name):
    m = re.search(r'(?im)^(?:%s)\s*:\s*(.*)$' % name, text)
    return m.group(1).strip() if m else None


def ack_for(request, response_text, lport, branch):
    """The ACK of a non-2xx final response to an INVITE: same branch, the response's To (with its tag)."""
    uri = request.split('\n', 1)[0].split()[1] if len(request.split('\n', 1)[0].split()) > 1 else 'sip:x'
    cseq = header(response_text, 'CSeq') or '1 INVITE'
    return ('ACK %s SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:%d;rport;branch=%s\r\nMax-Forwards: 70\r\n'
            'From: %s\r\nTo: %s\r\nCall-ID: %s\r\nCSeq: %s ACK\r\nContent-Length: 0\r\n\r\n') % (
        uri, lport, branch, header(response_text, 'From|f'), header(response_text, 'To|t'),
        header(response_text, 'Call-ID|i'), cseq.split()[0])


def probe(s, target, lport, n, timeout):
    call_id = 'torture-probe-%d-%d@127.0.0.1' % (n, os.getpid())
    # branches name this run (its process), so that a second run within the stack's 32 s is not a retransmission
    s.sendto(('OPTIONS sip:probe@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:%d;rport;branch=z9hG4bKtprobe%d-%d\r\n'
              'Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=p%d\r\nTo: <sip:probe@127.0.0.1>\r\n'
              'Call-ID: %s\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n' % (lport, os.getpid(), n, n, call_id)
              ).encode(), target)
    deadline = time.time() + timeout
    while time.time() < deadline:
        s.settimeout(max(0.01, deadline - time.time()))
        try:
            data = s.recv(65535)
        except socket.timeout:
            break
        if call_id.encode() in data and data.startswith(b'SIP/2.0 2'):
            return True
    return False


def verdict(name, kind, is_response, status, required=None):
    """ok, or WRONG: an answer the RFC does not allow for this case (or not the one SECTION_MAP requires)."""
    if is_response:
        return 'ok' if status is None else 'WRONG'  # a response is never answered
    if required == 'drop':
        return 'ok' if status is None else 'WRONG'
    if required is not None:
        return 'ok' if status == required else 'WRONG'
    wanted = RFC_NOTES.get(name, (None, ''))[0]
    if status is None:
        return 'ok' if kind == 'invalid' or name in UNADDRESSABLE else 'WRONG'
    if wanted is not None:
        return 'ok' if status == wanted else 'WRONG'
    if kind == 'invalid':
        return 'ok' if status >= 400 or name in LIBERAL else 'WRONG'
    return 'ok' if status != 400 else 'WRONG'  # valid: parsed (any answer but 400)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('dir')
    ap.add_argument('--target', default='127.0.0.1:5060')
    ap.add_argument('--lport', type=int, default=5098)
    ap.add_argument('--reply-wait', type=float, default=0.3)
    ap.add_argument('--probe-timeout', type=float, default=2.0)
    a = ap.parse_args()
    host, port = a.target.rsplit(':', 1)
    if not ipaddress.ip_address(host).is_loopback:
        sys.exit('refusing non-loopback target %s' % host)
    target = (host, int(port))
    expect = section_map(os.path.join(a.dir, 'SECTION_MAP.txt'))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(('127.0.0.1', a.lport))
    rows, codes, dropped, wrong, dead_after = [], {}, 0, 0, None
    names = sorted(f[:-4] for f in os.listdir(a.dir) if f.endswith('.dat'))
    for i, name in enumerate(names):
        text = open(os.path.join(a.dir, name + '.dat'), 'rb').read().decode('latin-1')
        is_response = text.startswith('SIP/')
        branch = 'z9hG4bKtorture%d-%d' % (os.getpid(), i)
        if not is_response and '$BRANCH' in text:
            text = text.replace('$BRANCH', branch).replace('$LPORT', str(a.lport))  # the case's own top Via
        elif not is_response:
            start, rest = text.split('\n', 1)
            text = start + '\nVia: SIP/2.0/UDP 127.0.0.1:%d;rport;branch=%s\r\n' % (a.lport, branch) + rest
        s.sendto(text.encode('latin-1')[:65507], target)
        status, answer, framing, deadline = None, '-', None, time.time() + a.reply_wait
        while time.time() < deadline and status is None:
            s.settimeout(max(0.01, deadline - time.time()))
            try:
                data = s.recv(65535)
            except socket.timeout:
                break
            reply = data.decode('latin-1')
            if branch not in (header(reply, 'Via|v') or '') or not reply.startswith('SIP/2.0 '):
                continue  # a late answer to an earlier case, or a provisional response
            code = int(reply[8:11])
            if code < 200:
                continue
            status, answer, framing = code, first_line(data)[8:70], misframed(data)
            if code >= 300 and (header(reply, 'CSeq') or '').endswith('INVITE'):
                s.sendto(ack_for(text, reply, a.lport, branch).encode('latin-1'), target)
        alive = probe(s, target, a.lport, i, a.probe_timeout)
        section, rfc, required = expect.get(name, ('?', '?', None))
        kind = 'invalid' if rfc.startswith('invalid') else 'valid'
        v = 'WRONG' if framing else verdict(name, kind, is_response, status, required)
        note = RFC_NOTES.get(name, (None, ''))[1] or ('a response: never answered' if is_response else '')
        if framing:
            note = 'answer framed wrongly: %s' % framing
        elif required is not None:
            note = rfc.split(':', 1)[-1].strip()
        rows.append((section, name, rfc.split(':')[0] + (' response' if is_response else ''), answer,
                     'yes' if alive else 'NO', v, note))
        if status is None:
            dropped += 1
        else:
            codes[status] = codes.get(status, 0) + 1
        wrong += v != 'ok'
        if not alive:
            dead_after = name
            break
    print('%-7s %-10s %-16s %-44s %-6s %-6s %s' % ('section', 'case', 'RFC 4475', 'router answer', 'alive', 'verdict',
                                                   'note'))
    for r in rows:
        print('%-7s %-10s %-16s %-44s %-6s %-6s %s' % r)
    print('summary: %d cases, %d answered %s, %d dropped, %d not as the RFC expects, router answered after %s' % (
        len(rows), sum(codes.values()), dict(sorted(codes.items())), dropped, wrong,
        'every case' if dead_after is None else 'NOT after ' + dead_after))
    sys.exit(2 if dead_after else (1 if wrong else 0))


if __name__ == '__main__':
    main()
