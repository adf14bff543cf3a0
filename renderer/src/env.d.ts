/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { KubeLabApi } from '../../main/bridge/types';

declare global {
  interface Window {
    /** set by main/electron/preload.ts; undefined outside Electron */
    kubelab?: KubeLabApi;
  }
}
