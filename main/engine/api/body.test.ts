import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readBody } from './body.js';
import { StatusError } from './errors.js';

const request = (chunks: Buffer[]) => {
  const s = new PassThrough();
  setImmediate(() => {
    for (const c of chunks) s.write(c);
    s.end();
  });
  return s as unknown as IncomingMessage;
};

describe('readBody', () => {
  it.each([
    ['no body', [], ''],
    ['one chunk', [Buffer.from('{"a":1}')], '{"a":1}'],
    ['several chunks', [Buffer.from('{"a"'), Buffer.from(':'), Buffer.from('1}')], '{"a":1}'],
  ])('%s', async (_name, chunks, want) => {
    expect((await readBody(request(chunks))).toString()).toBe(want);
  });

  it('refuses more than 3 MiB with the apiserver\'s 413 and reads the rest so the reply can still be sent', async () => {
    const mib = Buffer.alloc(1024 * 1024, 'x');
    const req = request([mib, mib, mib, mib, mib]);
    const ended = new Promise((r) => (req as unknown as PassThrough).once('end', r));
    const err = await readBody(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatusError);
    expect(err).toMatchObject({ code: 413, message: 'Request entity too large: limit is 3145728' });
    await ended;
  });

  it('answers at once for a request whose body was already read', async () => {
    const req = request([Buffer.from('x')]);
    await readBody(req);
    expect((await readBody(req)).length).toBe(0);
  });
});
