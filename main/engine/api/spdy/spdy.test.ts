import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ContainerProcess } from '../../runtime/types.js';
import { HeaderCodec } from './codec.js';
import { SpdyConnection, type SpdyStream } from './conn.js';
import { SPDY3_DICTIONARY } from './dictionary.js';
import * as F from './frames.js';
import { HttpOverStream, portForwardHandler, refusedMessage } from './portforward.js';

/** two sessions wired back to back: a client (odd ids) and a server (even ids) */
function pair(onServerStream: (s: SpdyStream) => void) {
  const wire: Buffer[] = [];
  const ends: { client?: SpdyConnection; server?: SpdyConnection } = {};
  const server = new SpdyConnection({ write: (b) => ends.client!.feed(b), end: () => ends.client!.close() }, onServerStream);
  const client = new SpdyConnection({ write: (b) => (wire.push(b), server.feed(b)), end: () => server.close() }, () => undefined, { client: true });
  Object.assign(ends, { client, server });
  conns.push(client, server);
  return { client, server, wire };
}

const conns: SpdyConnection[] = [];

/** zlib runs on the thread pool: let the sessions' queues drain (bounded) until the exchange has happened */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !cond(); i++) await Promise.all(conns.map((c) => c.idle()));
}

describe('SPDY/3.1 frames', () => {
  it.each<[string, Buffer, F.Frame]>([
    ['DATA with FIN', F.encodeData(5, Buffer.from('hi'), true), { kind: 'data', streamId: 5, flags: F.FLAG_FIN, data: Buffer.from('hi') }],
    ['SYN_STREAM', F.encodeSynStream(1, Buffer.from([1, 2]), 0, 0, 0), { kind: 'syn_stream', streamId: 1, associatedId: 0, priority: 0, flags: 0, block: Buffer.from([1, 2]) }],
    ['SYN_REPLY', F.encodeSynReply(3, Buffer.from([9])), { kind: 'syn_reply', streamId: 3, flags: 0, block: Buffer.from([9]) }],
    ['RST_STREAM', F.encodeRst(7, F.RST.CANCEL), { kind: 'rst_stream', streamId: 7, status: 5 }],
    ['PING', F.encodePing(11), { kind: 'ping', id: 11 }],
    ['GOAWAY', F.encodeGoAway(9, 0), { kind: 'goaway', lastStreamId: 9, status: 0 }],
    ['SETTINGS', F.encodeSettings([{ id: 7, value: 65536 }]), { kind: 'settings', flags: 0, entries: [{ id: 7, flags: 0, value: 65536 }] }],
    ['WINDOW_UPDATE', F.encodeWindowUpdate(1, 4096), { kind: 'window_update', streamId: 1, delta: 4096 }],
  ])('%s round-trips', (_n, bytes, frame) => {
    expect(F.decode(bytes)).toEqual(frame);
  });

  it('control frames carry version 3 and the type; DATA frames the stream id', () => {
    expect([...F.encodeSynStream(1, Buffer.alloc(0)).subarray(0, 4)]).toEqual([0x80, 0x03, 0x00, 0x01]);
    expect([...F.encodeData(0x12345, Buffer.from('x')).subarray(0, 8)]).toEqual([0x00, 0x01, 0x23, 0x45, 0x00, 0x00, 0x00, 0x01]);
  });

  it('the parser reassembles frames split across chunks', () => {
    const bytes = Buffer.concat([F.encodePing(1), F.encodeData(1, Buffer.from('abc'))]);
    const p = new F.FrameParser();
    const got = [...p.push(bytes.subarray(0, 5)), ...p.push(bytes.subarray(5, 13)), ...p.push(bytes.subarray(13))];
    expect(got.map((f) => f.kind)).toEqual(['ping', 'data']);
  });

  it('name/value blocks lower-case names and join repeated values with NUL', () => {
    const b = F.encodeNV({ streamType: 'data', port: '80', 'X-Multi': ['a', 'b'] });
    expect(F.decodeNV(b)).toEqual({ streamtype: 'data', port: '80', 'x-multi': 'a\0b' });
  });
});

describe('header compression', () => {
  it('the SPDY/3 dictionary is the 1423 bytes of the draft', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(SPDY3_DICTIONARY.subarray(0, 11).toString('latin1')).toBe('\0\0\0\x07options');
    expect(SPDY3_DICTIONARY.subarray(-20).toString('latin1')).toBe('8859-1,utf-,*,enq=0.');
  });

  it('blocks share one zlib stream per direction, primed with the dictionary', async () => {
    const a = new HeaderCodec();
    const b = new HeaderCodec();
    const blocks = [await a.compress({ streamtype: 'error', port: '80', requestid: '0' }), await a.compress({ streamtype: 'data', port: '80', requestid: '0' })];
    // the first block announces a preset dictionary (FDICT) whose Adler-32 is the SPDY/3 one
    expect(blocks[0]![1]! & 0x20).toBe(0x20);
    expect(blocks[0]!.readUInt32BE(2)).toBe(adler32(SPDY3_DICTIONARY));
    expect(await b.decompress(blocks[0]!)).toEqual({ streamtype: 'error', port: '80', requestid: '0' });
    expect(await b.decompress(blocks[1]!)).toEqual({ streamtype: 'data', port: '80', requestid: '0' });
    // the second block alone is not a complete zlib stream: state carries over
    expect(() => zlib.inflateSync(blocks[1]!)).toThrow();
    a.close();
    b.close();
  });
});

function adler32(b: Buffer): number {
  let s1 = 1;
  let s2 = 0;
  for (const x of b) {
    s1 = (s1 + x) % 65521;
    s2 = (s2 + s1) % 65521;
  }
  return ((s2 << 16) | s1) >>> 0;
}

describe('SPDY session', () => {
  it('streams open with headers, get a reply, carry data both ways and half-close', async () => {
    const seen: string[] = [];
    const { client } = pair((s) => {
      seen.push(`open ${s.id} ${s.headers.streamtype}`);
      s.onData((d) => s.write(Buffer.from(d.toString().toUpperCase())));
      s.onEnd(() => (seen.push('fin'), s.end()));
    });
    const st = client.openStream({ streamType: 'data' });
    let got = '';
    let ended = false;
    st.onData((d) => (got += d.toString()));
    st.onEnd(() => (ended = true));
    st.write('hello');
    st.end();
    await until(() => ended);
    expect(await st.replied).toEqual({});
    expect(seen).toEqual(['open 1 data', 'fin']);
    expect(got).toBe('HELLO');
    expect(ended).toBe(true);
  });

  it('answers pings and closes on GOAWAY', async () => {
    const { client, server, wire } = pair(() => undefined);
    const replies: F.Frame[] = [];
    const raw = new SpdyConnection({ write: (b) => replies.push(...new F.FrameParser().push(b)), end: () => undefined }, () => undefined);
    conns.push(raw);
    raw.feed(F.encodePing(1));
    await until(() => replies.length > 0);
    expect(replies).toEqual([{ kind: 'ping', id: 1 }]);
    let closed = false;
    server.onClose(() => (closed = true));
    await client.goAway();
    await until(() => closed);
    expect(closed).toBe(true);
    expect(wire.length).toBeGreaterThan(0);
  });
});

function fakeProcess(ports: Record<number, (path: string) => { status: number; body: string }>): ContainerProcess {
  return {
    httpGet: (port: number, path: string) => ports[port]?.(path),
    tcpListening: (port: number) => port in ports,
  } as unknown as ContainerProcess;
}

describe('port-forward', () => {
  const now = () => Date.UTC(2026, 10, 23, 3, 22, 29);

  it('answers HTTP/1.1 requests on one connection (keep-alive), then honours Connection: close', () => {
    const out: string[] = [];
    let closed = false;
    const h = new HttpOverStream(fakeProcess({ 80: (p) => (p === '/' ? { status: 200, body: '<html>hi</html>' } : { status: 404, body: 'nf' }) }), 80, now, (b) => out.push(b.toString()), () => (closed = true));
    h.push(Buffer.from('GET / HTTP/1.1\r\nHost: localhost:18080\r\n\r\nGET /x HTTP/1.1\r\nHost: local'));
    h.push(Buffer.from('host\r\nConnection: close\r\n\r\n'));
    expect(out).toEqual([
      'HTTP/1.1 200 OK\r\nDate: Mon, 23 Nov 2026 03:22:29 GMT\r\nContent-Type: text/html\r\nContent-Length: 15\r\nConnection: keep-alive\r\n\r\n<html>hi</html>',
      'HTTP/1.1 404 Not Found\r\nDate: Mon, 23 Nov 2026 03:22:29 GMT\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\nConnection: close\r\n\r\nnf',
    ]);
    expect(closed).toBe(true);
  });

  it('pairs error and data streams by requestID; nothing listening → the containerd error on the error stream', async () => {
    const proc = fakeProcess({ 80: () => ({ status: 200, body: 'ok' }) });
    const { client } = pair(portForwardHandler({ uid: 'u1', now, process: (port) => (port === 80 ? proc : undefined) }));
    const open = (port: number, id: string) => {
      const error = client.openStream({ streamType: 'error', port: String(port), requestID: id });
      const data = client.openStream({ streamType: 'data', port: String(port), requestID: id });
      const got = { error: '', data: '', errorEnded: false };
      error.onData((d) => (got.error += d.toString()));
      error.onEnd(() => (got.errorEnded = true));
      data.onData((d) => (got.data += d.toString()));
      return { data, got };
    };
    const ok = open(80, '0');
    ok.data.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const bad = open(8080, '1');
    await until(() => ok.got.data.endsWith('ok') && bad.got.errorEnded);
    expect(ok.got.data).toContain('HTTP/1.1 200 OK');
    expect(ok.got.data.endsWith('\r\n\r\nok')).toBe(true);
    expect(ok.got.errorEnded).toBe(false);
    ok.data.end();
    await until(() => ok.got.errorEnded);
    expect(ok.got).toMatchObject({ error: '', errorEnded: true });
    expect(bad.got.error).toBe(refusedMessage('u1', 8080));
    expect(bad.got.errorEnded).toBe(true);
    expect(refusedMessage('u1', 8080)).toMatch(
      /^error forwarding port 8080 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace "\/var\/run\/netns\/cni-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}": failed to connect to localhost:8080 inside namespace "[0-9a-f]{64}", IPv4: dial tcp4 127\.0\.0\.1:8080: connect: connection refused IPv6 dial tcp6 \[::1\]:8080: connect: connection refused $/,
    );
  });
});
