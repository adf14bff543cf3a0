// The app host: one per running app (desktop window set or `npm run web`), independent of the
// carrier. It owns the engine process, the Kubernetes gateway, the terminals and the settings,
// and implements every bridge call.
import * as path from 'node:path';
import type { ClientContext, ClusterStatus, EventName, Events, Handlers, Settings } from '../bridge/contract.js';
import { HostError } from '../bridge/errors.js';
import { EngineManager, type EngineLauncher } from './engine.js';
import { K8sGateway } from './kube.js';
import { defaultLabsDir } from '../labs/loader.js';
import { labHandlers, type LabHostOptions } from './labs.js';
import { KubeHttp, loadClientNode } from './kube-http.js';
import { missingKubectlMessage } from './kubectl.js';
import { dataLayout, type DataLayout } from './paths.js';
import { nodePtySpawn, PtyManager, type PtySpawn } from './pty.js';
import { openSettings, type SettingsStore } from './settings.js';
import { SimClient } from './sim.js';
import { prepareTerminalLaunch, warmTerminal } from './terminal-env.js';

/** after the cluster is ready, how long the host waits before loading @kubernetes/client-node */
const CLIENT_WARMUP_DELAY_MS = 500;

export interface HostOptions {
  /** the app data dir (see paths.ts for its layout) */
  dataDir: string;
  mode: 'desktop' | 'web';
  version: string;
  launchEngine: EngineLauncher;
  /** process.resourcesPath of a packaged app (bundled kubectl) */
  resourcesPath?: string;
  /** the user's environment terminals are derived from (default process.env) */
  userEnv?: NodeJS.ProcessEnv;
  ptySpawn?: () => Promise<PtySpawn> | PtySpawn;
  engineArgs?: string[];
  /** the labs folder (default: <resourcesPath>/labs when packaged, else the repo's labs/) */
  labsDir?: string;
  /** a check's convergence wait in seconds (tests shorten it) */
  labWaitSeconds?: number;
  createLabRunner?: LabHostOptions['createRunner'];
  log?: (line: string) => void;
}

export interface Host {
  readonly handlers: Handlers;
  readonly layout: DataLayout;
  readonly engine: EngineManager;
  readonly settings: SettingsStore;
  /** starts the engine; resolves once it is ready or has failed */
  start(): Promise<ClusterStatus>;
  /** closes terminals and watches, then stops the engine and waits for its flush */
  stop(): Promise<number | null>;
  /** pushes an event to every connected client */
  broadcast<K extends EventName>(name: K, payload: Events[K]): void;
  setSettings(patch: Partial<Settings>): Promise<Settings>;
  resetCluster(): Promise<void>;
}

export async function createHost(o: HostOptions): Promise<Host> {
  const layout = dataLayout(o.dataDir);
  const settings = await openSettings(layout.settings);
  const engine = new EngineManager({ dataDir: layout.cluster, kubeconfigPath: layout.kubeconfig, launch: o.launchEngine, extraArgs: o.engineArgs, log: o.log });
  const http = new KubeHttp(() => (engine.status().state === 'ready' ? (engine.status().kubeconfigPath ?? layout.kubeconfig) : undefined));
  const kube = new K8sGateway(http);
  const sim = new SimClient(http);
  const launchOpts = {
    layout,
    userEnv: o.userEnv ?? process.env,
    ...(o.resourcesPath ? { resourcesPath: o.resourcesPath } : {}),
    missingKubectlBanner: missingKubectlMessage,
  };
  const ptySpawn = o.ptySpawn ?? nodePtySpawn;
  const ptys = new PtyManager({ spawn: ptySpawn, launch: () => prepareTerminalLaunch(launchOpts) });

  const clients = new Map<string, ClientContext>();
  const track = (c: ClientContext) => {
    if (clients.has(c.id)) return;
    clients.set(c.id, c);
    c.onClose(() => clients.delete(c.id));
  };
  const broadcast = <K extends EventName>(name: K, payload: Events[K]) => {
    for (const c of clients.values()) c.emit(name, payload);
  };
  engine.onStatus((s) => {
    broadcast('cluster.status', s);
    // warm the Kubernetes client while the user looks at the prompt, not on the first map update;
    // not at once: loading it blocks this process in spells of up to ~200 ms, which would hold up
    // a terminal opened right away (a page that asks for the map sooner loads it then)
    if (s.state === 'ready') setTimeout(() => void loadClientNode().catch(() => undefined), CLIENT_WARMUP_DELAY_MS).unref();
  });

  const setSettings = async (patch: Partial<Settings>) => {
    const next = await settings.set(patch);
    broadcast('settings.changed', next);
    return next;
  };

  const labs = labHandlers({
    labsDir: o.labsDir ?? (o.resourcesPath ? path.join(o.resourcesPath, 'labs') : defaultLabsDir()),
    progressDir: layout.labProgress,
    // the same folder the terminals start in, so a file the learner writes is the file checked
    workspaceDir: layout.workspace,
    cluster: () => {
      const s = engine.status();
      return s.state === 'ready' && s.url ? { kubeconfig: s.kubeconfigPath ?? layout.kubeconfig, url: s.url } : undefined;
    },
    language: () => settings.get().language,
    onChanged: (labId) => broadcast('labs.changed', { labId }),
    ...(o.createLabRunner ? { createRunner: o.createLabRunner } : {}),
    ...(o.labWaitSeconds !== undefined ? { waitSeconds: o.labWaitSeconds } : {}),
  });

  const raw: Handlers = {
    'app.info': () => ({ version: o.version, mode: o.mode, platform: process.platform }),
    'settings.get': () => settings.get(),
    'settings.set': (patch) => setSettings(patch),
    'cluster.status': () => engine.status(),
    'k8s.list': (req) => kube.list(req),
    'k8s.get': (req) => kube.get(req),
    'k8s.events': (req) => kube.events(req),
    'k8s.watch': (req, c) => kube.watch(c, req),
    'k8s.unwatch': (req, c) => kube.unwatch(c, req?.watchId),
    'terminal.open': (req, c) => ptys.open(c, req),
    'terminal.input': (req, c) => ptys.input(c, req?.id, req?.data),
    'terminal.resize': (req, c) => ptys.resize(c, req?.id, req?.cols, req?.rows),
    'terminal.ack': (req, c) => ptys.ack(c, req?.id, req?.bytes),
    'terminal.close': (req, c) => ptys.close(c, req?.id),
    'sim.clock': () => sim.clock(),
    'sim.setSpeed': (req) => sim.setSpeed(req?.speed),
    'sim.nodes': () => sim.nodes(),
    'sim.stopNode': (req) => sim.stopNode(req?.name),
    'sim.startNode': (req) => sim.startNode(req?.name),
    'sim.killContainer': (req) => sim.killContainer(req?.namespace, req?.pod, req?.container),
    'sim.reset': () => sim.reset(),
    ...labs,
  };
  // every call registers its client, so events such as cluster.status reach all open pages
  const handlers = Object.fromEntries(
    Object.entries(raw).map(([name, fn]) => [
      name,
      (req: unknown, c: ClientContext) => {
        track(c);
        return (fn as (r: unknown, c: ClientContext) => unknown)(req, c);
      },
    ]),
  ) as unknown as Handlers;

  let stopped: Promise<number | null> | undefined;
  return {
    handlers,
    layout,
    engine,
    settings,
    start: () => {
      // the first terminal usually opens right after the page loads: while the engine boots, load
      // node-pty, cache kubectl's completion script, then start that terminal's shell (its rc
      // files, the user's own included, take a few hundred ms; it needs nothing from the cluster
      // until the learner types). After the cache exists, so the shell need not generate it.
      void Promise.resolve()
        .then(() => ptySpawn())
        .catch(() => undefined);
      void warmTerminal(launchOpts).then(() => ptys.prewarm());
      return engine.start();
    },
    stop: () =>
      (stopped ??= (async () => {
        ptys.closeAll();
        kube.stopAll();
        return engine.stop();
      })()),
    broadcast,
    setSettings,
    async resetCluster() {
      if (engine.status().state !== 'ready') throw new HostError('Unavailable', 'the cluster is not running');
      await sim.reset();
    },
  };
}
