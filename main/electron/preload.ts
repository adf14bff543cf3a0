// Preload for a sandboxed renderer: built as CommonJS (sandboxed preloads cannot be ES modules)
// and may only use the sandbox's small `electron` surface. It publishes window.kubelab with one
// function per declared call (each bound to its own fixed channel) and `on` for declared events
// only; the page never gets ipcRenderer itself, so it cannot invoke or listen on anything else.
import { contextBridge, ipcRenderer } from 'electron';
import { CALL_NAMES, EVENT_NAMES, type EventName, type Events } from '../bridge/contract.js';
import { BRIDGE_KEY, callChannel, eventChannel, type KubeLabApi } from '../bridge/types.js';

// Replaced at build time from package.json (see electron.vite.config.ts), because a sandboxed
// preload cannot read files or call app.getVersion().
declare const __KUBELAB_VERSION__: string;

const call = Object.fromEntries(
  CALL_NAMES.map((name) => {
    const channel = callChannel(name);
    return [name, (req: unknown) => ipcRenderer.invoke(channel, req)];
  }),
) as unknown as KubeLabApi['call'];

const events: ReadonlySet<string> = new Set(EVENT_NAMES);

const api: KubeLabApi = {
  call,
  on<K extends EventName>(name: K, cb: (payload: Events[K]) => void): () => void {
    if (!events.has(name) || typeof cb !== 'function') throw new Error(`unknown event "${String(name)}"`);
    const channel = eventChannel(name);
    // the IPC event object (with its sender) stays here; the page sees only the payload
    const listener = (_event: unknown, payload: unknown) => cb(payload as Events[K]);
    ipcRenderer.on(channel, listener);
    return () => void ipcRenderer.removeListener(channel, listener);
  },
  version: () => __KUBELAB_VERSION__,
};

contextBridge.exposeInMainWorld(BRIDGE_KEY, api);
