// Header-block compression: one zlib stream per direction for the whole connection, primed with
// the SPDY/3 dictionary and flushed with Z_SYNC_FLUSH after each block (so every block can be
// decoded at once while the compression state carries on). Node's streaming zlib is
// asynchronous, so callers serialise their use (SpdyConnection keeps frames in order).
import zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.js';
import { decodeNV, encodeNV } from './frames.js';

class Pipe {
  private queue: Promise<unknown> = Promise.resolve();
  constructor(private z: zlib.Inflate | zlib.Deflate) {
    z.on('error', () => undefined); // surfaced through run()'s rejection
  }

  run(input: Buffer): Promise<Buffer> {
    const job = this.queue.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          const onError = (e: Error) => reject(e);
          this.z.once('error', onError);
          this.z.write(input);
          this.z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
            this.z.off('error', onError);
            const out: Buffer[] = [];
            for (let c: Buffer | null; (c = this.z.read() as Buffer | null) !== null; ) out.push(c);
            resolve(Buffer.concat(out));
          });
        }),
    );
    this.queue = job.catch(() => undefined);
    return job;
  }

  close(): void {
    this.z.close();
  }
}

export class HeaderCodec {
  private deflate = new Pipe(zlib.createDeflate({ dictionary: SPDY3_DICTIONARY }));
  private inflate = new Pipe(zlib.createInflate({ dictionary: SPDY3_DICTIONARY }));

  compress(headers: Record<string, string | string[]>): Promise<Buffer> {
    return this.deflate.run(encodeNV(headers));
  }

  async decompress(block: Buffer): Promise<Record<string, string>> {
    if (!block.length) return {};
    return decodeNV(await this.inflate.run(block));
  }

  close(): void {
    this.deflate.close();
    this.inflate.close();
  }
}
