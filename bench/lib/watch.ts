// One streaming watch over the benchmark's keep-alive HTTPS client: newline-delimited JSON events,
// each handed to `onEvent` with the wall time it was parsed at. A single watch costs the server one
// serialisation per change, far less than any polling loop, so it disturbs what we measure least.
import * as https from 'node:https';
import type { ApiClient } from './api.js';

export interface WatchEvent {
  type: string;
  object: { metadata: { name: string; namespace?: string }; spec?: Record<string, unknown>; status?: Record<string, unknown> };
}

export interface Watch {
  /** resolves once the server sent the response headers: changes after that are seen */
  started: Promise<void>;
  close: () => void;
}

export function watch(api: ApiClient, path: string, onEvent: (ev: WatchEvent, atNs: bigint) => void): Watch {
  let req: ReturnType<typeof https.request> | undefined;
  const started = new Promise<void>((resolve, reject) => {
    req = https.request(
      // its own socket: a watch must not hold one of the agent's request sockets for the whole run
      { host: api.url.hostname, port: api.url.port, method: 'GET', path, agent: new https.Agent({ ...api.creds, keepAlive: false }), headers: { Accept: 'application/json' } },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
          res.resume();
          return;
        }
        resolve();
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const at = process.hrtime.bigint();
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            if (line.trim()) onEvent(JSON.parse(line) as WatchEvent, at);
          }
        });
        res.on('error', () => undefined);
      },
    );
    req.on('error', (e) => reject(e));
    req.end();
  });
  started.catch(() => undefined);
  return { started, close: () => req?.destroy() };
}
