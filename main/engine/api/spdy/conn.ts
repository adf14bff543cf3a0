// A SPDY/3.1 session over any byte transport (a raw upgraded socket, or binary WebSocket messages
// for kubectl's tunnelled port-forward). Incoming frames are handled strictly in order (header
// blocks inflate asynchronously); outgoing frames leave in the order they were asked for.
import { HeaderCodec } from './codec.js';
import {
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRst,
  encodeSynReply,
  encodeSynStream,
  FLAG_FIN,
  FrameParser,
  RST,
  type Frame,
} from './frames.js';

export interface Transport {
  write(b: Buffer): void;
  end(): void;
}

/** Largest DATA payload sent in one frame (well under the 24-bit limit and the 64 KiB window). */
const CHUNK = 32 * 1024;

export class SpdyStream {
  private dataCbs: ((b: Buffer) => void)[] = [];
  private endCbs: (() => void)[] = [];
  private pending: Buffer[] = [];
  remoteEnded = false;
  localEnded = false;
  reset = false;
  /** resolves when the peer answered our SYN_STREAM (client side) */
  replied: Promise<Record<string, string>>;
  resolveReply!: (h: Record<string, string>) => void;

  constructor(
    readonly conn: SpdyConnection,
    readonly id: number,
    readonly headers: Record<string, string>,
  ) {
    this.replied = new Promise((r) => (this.resolveReply = r));
  }

  onData(cb: (b: Buffer) => void): void {
    this.dataCbs.push(cb);
    for (const b of this.pending.splice(0)) cb(b);
  }

  /** the peer half-closed (FIN) or reset the stream */
  onEnd(cb: () => void): void {
    if (this.remoteEnded) cb();
    else this.endCbs.push(cb);
  }

  write(data: Buffer | string, fin = false): void {
    if (this.localEnded || this.reset) return;
    const b = typeof data === 'string' ? Buffer.from(data) : data;
    for (let o = 0; o < b.length || (o === 0 && fin); o += CHUNK) {
      const last = o + CHUNK >= b.length;
      this.conn.send(encodeData(this.id, b.subarray(o, o + CHUNK), fin && last));
      if (b.length === 0) break;
    }
    if (fin) this.localEnded = true;
  }

  end(): void {
    this.write(Buffer.alloc(0), true);
  }

  /** @internal */
  deliver(b: Buffer): void {
    if (this.dataCbs.length) for (const cb of this.dataCbs) cb(b);
    else this.pending.push(b);
  }

  /** @internal */
  finishRemote(): void {
    if (this.remoteEnded) return;
    this.remoteEnded = true;
    for (const cb of this.endCbs.splice(0)) cb();
  }
}

export class SpdyConnection {
  private parser = new FrameParser();
  private codec = new HeaderCodec();
  private streams = new Map<number, SpdyStream>();
  private inQueue: Promise<void> = Promise.resolve();
  private outQueue: Promise<void> = Promise.resolve();
  private lastRemote = 0;
  private nextLocal: number;
  private closed = false;
  private closeCbs: (() => void)[] = [];

  constructor(
    private transport: Transport,
    private onStream: (s: SpdyStream) => void,
    opts: { client?: boolean } = {},
  ) {
    // clients open odd stream ids, servers even ones
    this.nextLocal = opts.client ? 1 : 2;
  }

  /** bytes from the peer */
  feed(chunk: Buffer): void {
    if (this.closed) return;
    for (const f of this.parser.push(chunk)) {
      this.inQueue = this.inQueue.then(() => this.handle(f)).catch(() => this.close());
    }
  }

  /** @internal write a ready frame, after anything queued before it */
  send(frame: Buffer): void {
    this.enqueue(async () => frame);
  }

  private enqueue(make: () => Promise<Buffer>): void {
    this.outQueue = this.outQueue
      .then(async () => {
        const b = await make();
        if (!this.closed) this.transport.write(b);
      })
      .catch(() => this.close());
  }

  /** open a stream (client side: tests, or server push) */
  openStream(headers: Record<string, string>, fin = false): SpdyStream {
    const id = this.nextLocal;
    this.nextLocal += 2;
    const s = new SpdyStream(this, id, headers);
    this.streams.set(id, s);
    this.enqueue(async () => encodeSynStream(id, await this.codec.compress(headers), fin ? FLAG_FIN : 0));
    if (fin) s.localEnded = true;
    return s;
  }

  /** all output queued so far has been handed to the transport */
  flushed(): Promise<void> {
    return this.outQueue;
  }

  /** every frame received so far has been handled (header blocks inflate asynchronously) */
  async idle(): Promise<void> {
    await this.inQueue;
    await this.outQueue;
  }

  onClose(cb: () => void): void {
    if (this.closed) cb();
    else this.closeCbs.push(cb);
  }

  /** GOAWAY, then end the transport once queued output is out */
  async goAway(): Promise<void> {
    if (this.closed) return;
    this.send(encodeGoAway(this.lastRemote, 0));
    await this.outQueue;
    this.close();
  }

  /** the transport went away (or must): every stream ends */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) s.finishRemote();
    this.streams.clear();
    this.codec.close();
    try {
      this.transport.end();
    } catch {
      // already gone
    }
    for (const cb of this.closeCbs.splice(0)) cb();
  }

  private async handle(f: Frame): Promise<void> {
    switch (f.kind) {
      case 'syn_stream': {
        const headers = await this.codec.decompress(f.block);
        this.lastRemote = Math.max(this.lastRemote, f.streamId);
        const s = new SpdyStream(this, f.streamId, headers);
        this.streams.set(f.streamId, s);
        // the kubelet (apimachinery's spdy server) answers every accepted stream with an empty SYN_REPLY
        this.enqueue(async () => encodeSynReply(f.streamId, await this.codec.compress({})));
        if (f.flags & FLAG_FIN) s.finishRemote();
        this.onStream(s);
        return;
      }
      case 'syn_reply': {
        const headers = await this.codec.decompress(f.block);
        const s = this.streams.get(f.streamId);
        s?.resolveReply(headers);
        if (s && f.flags & FLAG_FIN) s.finishRemote();
        return;
      }
      case 'headers':
        await this.codec.decompress(f.block); // keeps the zlib state in step; nothing uses trailers
        if (f.flags & FLAG_FIN) this.streams.get(f.streamId)?.finishRemote();
        return;
      case 'data': {
        const s = this.streams.get(f.streamId);
        if (!s) {
          this.send(encodeRst(f.streamId, RST.INVALID_STREAM));
          return;
        }
        if (f.data.length) s.deliver(f.data);
        if (f.flags & FLAG_FIN) s.finishRemote();
        return;
      }
      case 'rst_stream': {
        const s = this.streams.get(f.streamId);
        if (s) {
          s.reset = true;
          s.finishRemote();
          this.streams.delete(f.streamId);
        }
        return;
      }
      case 'ping':
        // only the peer's own (odd, from a client) pings are echoed
        if (f.id % 2 !== this.nextLocal % 2) this.send(encodePing(f.id));
        return;
      case 'goaway':
        this.close();
        return;
      default:
        return; // SETTINGS, WINDOW_UPDATE: spdystream does not enforce flow control either
    }
  }
}
