// Renderer entry: connect the bridge (IPC in the desktop app, WebSocket in browser mode) and mount.
// `?fake` (or `?fake=500` for a crowded map) in a dev server swaps in the in-memory bridge, for
// working on the UI alone.
import '@xterm/xterm/css/xterm.css';
import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { connectBridge } from '../../main/bridge/client.js';
import { createFakeBridge, demoCluster } from './lib/fakeBridge.js';
import type { Bridge } from '../../main/bridge/contract.js';

const target = document.getElementById('app');
if (!target) throw new Error('index.html is missing #app');

let bridge: Bridge;
let onDisconnect: (cb: () => void) => () => void = () => () => undefined;
const fake = new URLSearchParams(location.search).get('fake');
if (import.meta.env.DEV && fake !== null) {
  // ?fake or ?fake=500 (that many extra pods)
  const fakeBridge = createFakeBridge(demoCluster(Number(fake) || 0));
  // lets renderer/src/ui.fake.test.ts drive the fake cluster from the browser
  (window as unknown as { __kubelabFake: unknown }).__kubelabFake = fakeBridge;
  bridge = fakeBridge;
} else {
  const connected = connectBridge();
  bridge = connected;
  onDisconnect = (cb) => connected.onDisconnect(cb);
}

const app = mount(App, { target, props: { bridge, onDisconnect } });

export default app;
