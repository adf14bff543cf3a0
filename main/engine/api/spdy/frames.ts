// SPDY/3.1 framing (draft-mbelshe-httpbis-spdy-00, plus 3.1's stream-0 WINDOW_UPDATE): the subset
// kubectl's remotecommand and portforward clients (moby/spdystream) exchange with a kubelet.
// Pure byte layout here; header-block compression lives in codec.ts because it is stateful.

export const VERSION = 3;
export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

export const Type = { SynStream: 1, SynReply: 2, RstStream: 3, Settings: 4, Ping: 6, GoAway: 7, Headers: 8, WindowUpdate: 9 } as const;

/** RST_STREAM status codes */
export const RST = { PROTOCOL_ERROR: 1, INVALID_STREAM: 2, REFUSED_STREAM: 3, CANCEL: 5, INTERNAL_ERROR: 6, STREAM_ALREADY_CLOSED: 9 } as const;

export type Frame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  /** control frames keep their compressed header block raw; the connection inflates it in order */
  | { kind: 'syn_stream'; streamId: number; associatedId: number; priority: number; flags: number; block: Buffer }
  | { kind: 'syn_reply'; streamId: number; flags: number; block: Buffer }
  | { kind: 'headers'; streamId: number; flags: number; block: Buffer }
  | { kind: 'rst_stream'; streamId: number; status: number }
  | { kind: 'settings'; flags: number; entries: { id: number; flags: number; value: number }[] }
  | { kind: 'ping'; id: number }
  | { kind: 'goaway'; lastStreamId: number; status: number }
  | { kind: 'window_update'; streamId: number; delta: number }
  | { kind: 'unknown'; type: number; flags: number; payload: Buffer };

const u31 = (b: Buffer, o: number) => b.readUInt32BE(o) & 0x7fffffff;

function header(control: boolean, typeOrStream: number, flags: number, length: number): Buffer {
  const h = Buffer.alloc(8);
  if (control) {
    h.writeUInt16BE(0x8000 | VERSION, 0);
    h.writeUInt16BE(typeOrStream, 2);
  } else h.writeUInt32BE(typeOrStream & 0x7fffffff, 0);
  h.writeUInt32BE(((flags & 0xff) << 24) | (length & 0xffffff), 4);
  return h;
}

function control(type: number, flags: number, payload: Buffer): Buffer {
  return Buffer.concat([header(true, type, flags, payload.length), payload]);
}

function ids(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

export function encodeData(streamId: number, data: Buffer, fin = false): Buffer {
  return Buffer.concat([header(false, streamId, fin ? FLAG_FIN : 0, data.length), data]);
}

export function encodeSynStream(streamId: number, block: Buffer, flags = 0, associatedId = 0, priority = 0): Buffer {
  const p = Buffer.alloc(10);
  p.writeUInt32BE(streamId & 0x7fffffff, 0);
  p.writeUInt32BE(associatedId & 0x7fffffff, 4);
  p.writeUInt8((priority & 0x7) << 5, 8);
  return control(Type.SynStream, flags, Buffer.concat([p, block]));
}

export function encodeSynReply(streamId: number, block: Buffer, fin = false): Buffer {
  return control(Type.SynReply, fin ? FLAG_FIN : 0, Buffer.concat([ids(streamId & 0x7fffffff), block]));
}

export function encodeRst(streamId: number, status: number): Buffer {
  return control(Type.RstStream, 0, ids(streamId & 0x7fffffff, status));
}

export function encodePing(id: number): Buffer {
  return control(Type.Ping, 0, ids(id));
}

export function encodeGoAway(lastStreamId: number, status = 0): Buffer {
  return control(Type.GoAway, 0, ids(lastStreamId & 0x7fffffff, status));
}

export function encodeSettings(entries: { id: number; value: number; flags?: number }[]): Buffer {
  const p = Buffer.alloc(4 + entries.length * 8);
  p.writeUInt32BE(entries.length, 0);
  entries.forEach((e, i) => {
    p.writeUInt32BE((((e.flags ?? 0) & 0xff) << 24) | (e.id & 0xffffff), 4 + i * 8);
    p.writeUInt32BE(e.value >>> 0, 8 + i * 8);
  });
  return control(Type.Settings, 0, p);
}

export function encodeWindowUpdate(streamId: number, delta: number): Buffer {
  return control(Type.WindowUpdate, 0, ids(streamId & 0x7fffffff, delta & 0x7fffffff));
}

/** Incremental parser: feed bytes as they arrive, get whole frames back. */
export class FrameParser {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.buf.length >= 8) {
      const len = this.buf.readUInt32BE(4) & 0xffffff;
      if (this.buf.length < 8 + len) break;
      frames.push(decode(this.buf.subarray(0, 8 + len)));
      this.buf = this.buf.subarray(8 + len);
    }
    return frames;
  }
}

export function decode(f: Buffer): Frame {
  const flags = f.readUInt8(4);
  const p = Buffer.from(f.subarray(8));
  if ((f.readUInt8(0) & 0x80) === 0) return { kind: 'data', streamId: u31(f, 0), flags, data: p };
  const type = f.readUInt16BE(2);
  switch (type) {
    case Type.SynStream:
      return { kind: 'syn_stream', streamId: u31(p, 0), associatedId: u31(p, 4), priority: p.readUInt8(8) >> 5, flags, block: p.subarray(10) };
    case Type.SynReply:
      return { kind: 'syn_reply', streamId: u31(p, 0), flags, block: p.subarray(4) };
    case Type.Headers:
      return { kind: 'headers', streamId: u31(p, 0), flags, block: p.subarray(4) };
    case Type.RstStream:
      return { kind: 'rst_stream', streamId: u31(p, 0), status: p.readUInt32BE(4) };
    case Type.Settings: {
      const n = p.readUInt32BE(0);
      const entries = [];
      for (let i = 0; i < n && 12 + i * 8 <= p.length; i++) {
        const w = p.readUInt32BE(4 + i * 8);
        entries.push({ flags: w >>> 24, id: w & 0xffffff, value: p.readUInt32BE(8 + i * 8) });
      }
      return { kind: 'settings', flags, entries };
    }
    case Type.Ping:
      return { kind: 'ping', id: p.readUInt32BE(0) };
    case Type.GoAway:
      return { kind: 'goaway', lastStreamId: u31(p, 0), status: p.length >= 8 ? p.readUInt32BE(4) : 0 };
    case Type.WindowUpdate:
      return { kind: 'window_update', streamId: u31(p, 0), delta: u31(p, 4) };
    default:
      return { kind: 'unknown', type, flags, payload: p };
  }
}

/** The uncompressed name/value block: count, then length-prefixed names and values (32-bit lengths). */
export function encodeNV(headers: Record<string, string | string[]>): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [ids(entries.length)];
  for (const [k, v] of entries) {
    const name = Buffer.from(k.toLowerCase());
    // several values of one header travel NUL-separated
    const value = Buffer.from(Array.isArray(v) ? v.join('\0') : v);
    parts.push(ids(name.length), name, ids(value.length), value);
  }
  return Buffer.concat(parts);
}

export function decodeNV(b: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  if (b.length < 4) return out;
  const n = b.readUInt32BE(0);
  let o = 4;
  const take = () => {
    const len = b.readUInt32BE(o);
    const s = b.subarray(o + 4, o + 4 + len).toString();
    o += 4 + len;
    return s;
  };
  for (let i = 0; i < n; i++) {
    const k = take().toLowerCase();
    out[k] = take();
  }
  return out;
}
