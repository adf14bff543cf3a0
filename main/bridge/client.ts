// The renderer's one way to get a Bridge: IPC when running in the desktop app (the preload has
// published window.kubelab), otherwise the WebSocket of browser mode, authenticated by the token
// in the page's own URL.
import type { Bridge } from './contract.js';
import { ipcBridge } from './ipc-client.js';
import { BRIDGE_KEY, type KubeLabApi } from './types.js';
import { bridgeUrlFromPage, connectWsBridge, type WsClientBridge } from './ws-client.js';

export type { Bridge } from './contract.js';

export interface ConnectedBridge extends Bridge {
  mode: 'ipc' | 'ws';
  /** resolves when calls can flow (immediately for IPC) */
  ready: Promise<void>;
  /** WebSocket only: the connection ended; the page should offer a reload */
  onDisconnect(cb: () => void): () => void;
}

export function connectBridge(): ConnectedBridge {
  const g = globalThis as unknown as { [BRIDGE_KEY]?: KubeLabApi; location?: { href: string } };
  const api = g[BRIDGE_KEY];
  if (api) return { ...ipcBridge(api), mode: 'ipc', ready: Promise.resolve(), onDisconnect: () => () => undefined };
  if (!g.location) throw new Error('connectBridge: neither window.kubelab nor a page location');
  const ws: WsClientBridge = connectWsBridge(bridgeUrlFromPage(g.location.href));
  return {
    call: ws.call,
    on: ws.on,
    mode: 'ws',
    ready: ws.opened,
    onDisconnect: (cb) => ws.onClose(() => cb()),
  };
}
