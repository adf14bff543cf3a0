// Everything a component needs from the app, handed down once through Svelte context instead of
// threading props through every level.
import { getContext, setContext } from 'svelte';
import type { Bridge } from '../../../main/bridge/contract.js';
import type { I18n } from './i18n/i18n.svelte.js';
import type { ClusterStore } from './cluster/clusterStore.svelte.js';
import type { SimStore } from './state/sim.svelte.js';
import type { SettingsStore } from './state/settings.svelte.js';
import type { TerminalTabs } from './terminal/tabs.svelte.js';
import type { TerminalHub } from './terminal/hub.js';
import type { LabStore } from './labs/labs.svelte.js';

export interface AppContext {
  bridge: Bridge;
  i18n: I18n;
  cluster: ClusterStore;
  sim: SimStore;
  settings: SettingsStore;
  tabs: TerminalTabs;
  hub: TerminalHub;
  labs: LabStore;
}

const KEY = Symbol('kubelab');

export function setApp(ctx: AppContext): void {
  setContext(KEY, ctx);
}

export function app(): AppContext {
  const ctx = getContext<AppContext | undefined>(KEY);
  if (!ctx) throw new Error('app context missing: components must render inside App');
  return ctx;
}
