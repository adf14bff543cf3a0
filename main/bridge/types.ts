// The shape of `window.kubelab`, the only surface the desktop preload publishes to the page, and
// the fixed IPC channel names behind it. Everything here is derived from contract.ts, so a call or
// event declared there appears here (and in the preload) without a second declaration.
import type { CallName, CallRequest, CallResponse, EventName, Events, Result } from './contract.js';

/** What main/electron/preload.ts exposes: one function per call, `on` for declared events only. */
export interface KubeLabApi {
  call: { [K in CallName]: (req: CallRequest<K>) => Promise<Result<CallResponse<K>>> };
  on<K extends EventName>(name: K, cb: (payload: Events[K]) => void): () => void;
  /** the app's version (package.json `version`), known to the preload at build time */
  version(): string;
}

/** @deprecated older name of KubeLabApi, kept so existing renderer typings keep compiling */
export type KubeLabBridge = KubeLabApi;

/** the global name under which the preload publishes the API */
export const BRIDGE_KEY = 'kubelab';

/** ipcMain.handle channel of a call; each call has its own so no channel takes a free-form name */
export function callChannel(name: CallName): string {
  return `kubelab:call:${name}`;
}

/** webContents.send channel of an event */
export function eventChannel(name: EventName): string {
  return `kubelab:event:${name}`;
}
