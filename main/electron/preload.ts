// Preload for a sandboxed renderer: built as CommonJS (sandboxed preloads cannot be ES modules)
// and may only use the sandbox's small `electron` surface. It publishes a fixed, typed API and
// never hands the page ipcRenderer itself, so the page cannot send arbitrary channels.
import { contextBridge } from 'electron';
import { BRIDGE_KEY, type KubeLabBridge } from '../bridge/types.js';

// Replaced at build time from package.json (see electron.vite.config.ts), because a sandboxed
// preload cannot read files or call app.getVersion().
declare const __KUBELAB_VERSION__: string;

const bridge: KubeLabBridge = {
  version: () => __KUBELAB_VERSION__,
};

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
