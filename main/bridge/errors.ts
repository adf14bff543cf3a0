// Turning whatever a handler threw into BridgeError data, shared by every carrier so the renderer
// sees the same shape over IPC and WebSocket. Safe for both Node and the browser (no imports).
import type { BridgeError, CallName, EventName } from './contract.js';
import { CALL_NAMES, EVENT_NAMES } from './contract.js';

/** Thrown by Node-side code that wants a specific error code to reach the renderer. */
export class HostError extends Error {
  constructor(
    readonly code: BridgeError['code'],
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'HostError';
  }
}

/** The BridgeError code for an HTTP status of a Kubernetes API error. */
export function codeForStatus(status: number): BridgeError['code'] {
  if (status === 404) return 'NotFound';
  if (status === 400 || status === 422) return 'BadRequest';
  if (status === 401 || status === 403) return 'Forbidden';
  if (status === 409) return 'Conflict';
  if (status === 503 || status === 502 || status === 504) return 'Unavailable';
  if (status >= 500) return 'Internal';
  return 'Unknown';
}

export function toBridgeError(e: unknown): BridgeError {
  if (e instanceof HostError) return e.status === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, status: e.status };
  if (e instanceof Error) return { code: 'Internal', message: e.message || e.name };
  if (typeof e === 'string') return { code: 'Internal', message: e };
  return { code: 'Unknown', message: 'unknown error' };
}

const callSet: ReadonlySet<string> = new Set(CALL_NAMES);
const eventSet: ReadonlySet<string> = new Set(EVENT_NAMES);

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && callSet.has(name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && eventSet.has(name);
}
