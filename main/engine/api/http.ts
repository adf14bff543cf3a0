// Small response helpers shared by the API handlers.
import type { ServerResponse } from 'node:http';
import { objectJson } from '../store/json.js';
import { StatusError } from './errors.js';

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json', headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private', ...headers });
  res.end(text);
}

/** A stored object (or one nobody changes later): its JSON text is shared with the log and watches. */
export function sendObject(res: ServerResponse, code: number, obj: object, headers: Record<string, string> = {}): void {
  sendJsonText(res, code, objectJson(obj), 'application/json', headers);
}

/** A body already serialised (a Table page written row by row), sent as one Buffer. */
export function sendJsonText(res: ServerResponse, code: number, text: string, contentType = 'application/json', headers: Record<string, string> = {}): void {
  // encoded once: measuring the length of a megabyte string and then encoding it costs two passes
  const body = Buffer.from(text, 'utf8');
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': body.length, 'Cache-Control': 'no-cache, private', ...headers });
  res.end(body);
}

export function sendError(res: ServerResponse, e: unknown): void {
  const err = e instanceof StatusError ? e : new StatusError(500, 'InternalError', `Internal error occurred: ${(e as Error)?.message ?? String(e)}`);
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, err.code, err.toStatus());
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}

/** `Warning: 299 - "..."` headers, as the apiserver sends for fieldValidation=Warn and deprecations. */
export function warningHeader(messages: string[]): Record<string, string | string[]> {
  if (!messages.length) return {};
  return { Warning: messages.map((m) => `299 - ${JSON.stringify(m)}`) as unknown as string };
}
