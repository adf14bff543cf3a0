// The only surface the renderer sees of the main process: the preload script exposes exactly this
// object as `window.kubelab`. Placeholder until the app issue adds engine status, terminals and labs;
// every member must stay plain data or promise-returning calls, never a raw ipcRenderer.

export interface KubeLabBridge {
  /** the app's version (package.json `version`) */
  version(): string;
}

/** the global name under which the preload publishes the bridge */
export const BRIDGE_KEY = 'kubelab';
