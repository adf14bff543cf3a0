// Reading and decoding request bodies: JSON, YAML (apply-patch+yaml), and protobuf (typed clients).
import type { IncomingMessage } from 'node:http';
import YAML from 'yaml';
import { badRequest, StatusError } from './errors.js';
import { decodeProtobufObject } from './protobuf/decode.js';

const MAX_BODY = 3 * 1024 * 1024; // etcd's request limit; the apiserver refuses larger bodies too

// plain 'data'/'end' events: an async iterator per request showed up in the write benchmark's profile
export function readBody(req: IncomingMessage): Promise<Buffer> {
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) return void chunks.push(c);
      // the rest is read and dropped, so the connection can still carry the 413
      req.off('data', onData);
      req.resume();
      reject(new StatusError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'));
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
}

/** Decode a body that carries an object (create/update/apply) or a patch document. */
export function decodeBody(buf: Buffer, ct: string): unknown {
  if (ct === 'application/vnd.kubernetes.protobuf') return decodeProtobufObject(buf);
  const text = buf.toString('utf8');
  if (ct === 'application/apply-patch+yaml' || ct === 'application/yaml') {
    try {
      return YAML.parse(text);
    } catch (e) {
      throw badRequest(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    // Go's decoder wording, as the apiserver returns it for a malformed body
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}
