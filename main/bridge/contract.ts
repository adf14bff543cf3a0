// The one typed contract between the renderer and Node. Every call and event is declared here once,
// with its request and response types; the carriers (Electron IPC in the desktop app, a WebSocket
// in browser mode) only move these messages. Errors cross as data (BridgeError), never as throws
// across the boundary.

/** A Kubernetes object as JSON (the renderer never needs more than this). */
export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: Array<{ kind: string; name: string; uid: string; controller?: boolean }>; creationTimestamp?: string; deletionTimestamp?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export type Language = 'en' | 'ko';
export type Theme = 'light' | 'dark' | 'system';

export interface AppInfo {
  version: string;
  mode: 'desktop' | 'web';
  platform: string;
}

export interface Settings {
  language: Language;
  theme: Theme;
}

export interface ClusterStatus {
  state: 'starting' | 'ready' | 'stopped' | 'failed';
  /** the API server URL, once ready */
  url?: string;
  kubeconfigPath?: string;
  /** true when pointed at a real cluster (simulator controls are then hidden) */
  real: boolean;
  message?: string;
}

/** Which resource: core `{version:'v1', resource:'pods'}`, or `{group:'apps', version:'v1', resource:'deployments'}`. */
export interface ResourceRef {
  group?: string;
  version: string;
  resource: string;
  namespace?: string;
}

export interface ListRequest extends ResourceRef {
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ListResult {
  items: KObject[];
  resourceVersion: string;
}

export interface GetRequest extends ResourceRef {
  name: string;
}

export type WatchRequest = ListRequest;

/**
 * One change seen by a watch. A watch starts with an ADDED for every existing object (so no list
 * is needed first). RESYNC means the stream was lost and could not resume (410 Gone, engine
 * restart): forget every object held for this watchId; fresh ADDED events follow.
 */
export interface WatchEvent {
  watchId: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'RESYNC';
  /** absent for RESYNC */
  object?: KObject;
}

export interface TerminalOpen {
  cols: number;
  rows: number;
}

/**
 * Terminal output flow control: the renderer acks (terminal.ack) the bytes it has written to the
 * screen; Node pauses the shell while more than TERMINAL_HIGH_WATERMARK bytes are unacked and
 * resumes below TERMINAL_LOW_WATERMARK. Bytes are counted as UTF-16 string length of `data`.
 */
export const TERMINAL_HIGH_WATERMARK = 128 * 1024;
export const TERMINAL_LOW_WATERMARK = 16 * 1024;

export interface TerminalData {
  id: string;
  data: string;
}

export interface TerminalExit {
  id: string;
  exitCode: number;
  signal?: number;
}

export interface NodeState {
  name: string;
  kubeletRunning: boolean;
}

/** Learner-facing text of a lab, always in both languages (the renderer picks one). */
export interface LabText {
  en: string;
  ko: string;
}

export type LabMode = 'practice' | 'exam';

/** One lab in the catalog (labs.list). */
export interface LabSummary {
  id: string;
  title: LabText;
  description: LabText;
  level: string;
  minutes: number;
  topics: string[];
  steps: number;
  examMinutes?: number;
  status: 'not-started' | 'in-progress' | 'completed';
  score: number;
  maxScore: number;
}

export interface LabCatalog {
  labs: LabSummary[];
  /** labs that failed to load (shown to authors, not learners) */
  errors: string[];
  /** the lab the learner was last working on */
  active?: string;
}

/** One graded check: `reason` says why it failed, or what was verified. */
export interface LabCheckResult {
  stepId: string;
  checkId: string;
  title: LabText;
  weight: number;
  passed: boolean;
  reason: LabText;
}

export interface LabStepResult {
  stepId: string;
  passed: boolean;
  score: number;
  maxScore: number;
  checks: LabCheckResult[];
}

export interface LabStepProgress {
  status: 'pending' | 'passed' | 'skipped';
  score: number;
  maxScore: number;
  hintsRevealed: number;
  solutionShown: boolean;
  attempts: number;
  lastChecks?: LabCheckResult[];
}

export interface LabProgress {
  labId: string;
  mode: LabMode;
  startedAt: string;
  /** index of the step the learner is on; steps.length when done */
  currentStep: number;
  steps: Record<string, LabStepProgress>;
  completedAt?: string;
  score: number;
  maxScore: number;
  exam?: { deadline: string; finishedAt?: string };
}

export interface LabStepView {
  id: string;
  title: LabText;
  /** Markdown; bash/sh/shell code blocks are commands to run in the terminal */
  instructions: LabText;
  /** hints available (0 in exam mode) */
  hintCount: number;
  /** the hints revealed so far */
  hints: LabText[];
  checks: Array<{ id: string; title: LabText; weight: number }>;
  status: 'pending' | 'passed' | 'skipped';
  /** present once the learner asked for it */
  solution?: string[];
}

/** A started lab as the learner sees it (labs.view, labs.start, …). */
export interface LabView {
  id: string;
  title: LabText;
  description: LabText;
  mode: LabMode;
  workspaceDir: string;
  steps: LabStepView[];
  progress: LabProgress;
}

export interface LabExamReport {
  labId: string;
  score: number;
  maxScore: number;
  percent: number;
  finishedAt: string;
  overtime: boolean;
  steps: LabStepResult[];
}

/** A step of the active lab (the one last started: the cluster is in its state). */
export interface LabStepRequest {
  stepId: string;
  /** the lab the page shows; refused when another lab has been started since */
  labId?: string;
}

/** labs.changed: a lab's progress changed (in this page or another one) */
export interface LabChanged {
  labId: string;
}

/** Errors as data: `code` is stable for programs, `message` is for people. */
export interface BridgeError {
  code: 'NotFound' | 'BadRequest' | 'Unavailable' | 'Forbidden' | 'Conflict' | 'Internal' | 'Unknown' | string;
  message: string;
  /** HTTP status of an underlying Kubernetes API error */
  status?: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: BridgeError };

/** Calls: renderer → Node, each with [request, response]. */
export interface Calls {
  'app.info': [void, AppInfo];
  'settings.get': [void, Settings];
  'settings.set': [Partial<Settings>, Settings];
  'cluster.status': [void, ClusterStatus];
  'k8s.list': [ListRequest, ListResult];
  'k8s.get': [GetRequest, KObject];
  /** a pod's (or any object's) events, newest last */
  'k8s.events': [GetRequest, KObject[]];
  'k8s.watch': [WatchRequest, { watchId: string }];
  'k8s.unwatch': [{ watchId: string }, void];
  'terminal.open': [TerminalOpen, { id: string }];
  'terminal.input': [TerminalData, void];
  'terminal.resize': [{ id: string; cols: number; rows: number }, void];
  /** flow control: the renderer has written this many more bytes of output to the screen */
  'terminal.ack': [{ id: string; bytes: number }, void];
  'terminal.close': [{ id: string }, void];
  'sim.clock': [void, { now: string; speed: number }];
  'sim.setSpeed': [{ speed: number }, { now: string; speed: number }];
  'sim.nodes': [void, NodeState[]];
  'sim.stopNode': [{ name: string }, void];
  'sim.startNode': [{ name: string }, void];
  'sim.killContainer': [{ namespace: string; pod: string; container: string }, void];
  'sim.reset': [void, void];
  /** the lab catalog with each lab's progress */
  'labs.list': [void, LabCatalog];
  /** a started lab (NotStarted error if it never was) */
  'labs.view': [{ id: string }, LabView];
  /** reset the cluster to the lab's starting state and begin it (again) */
  'labs.start': [{ id: string; mode?: LabMode }, LabView];
  /** grade one step of the active lab (practice mode); `labId`, when given, must be the active lab (NotActive) */
  'labs.check': [LabStepRequest, { result: LabStepResult; view: LabView }];
  /** reveal the next hint of a step */
  'labs.hint': [LabStepRequest, { hint: LabText; index: number; total: number }];
  'labs.solution': [LabStepRequest, string[]];
  'labs.skip': [LabStepRequest, LabView];
  /** restart a lab (default: the active one) in the same mode */
  'labs.reset': [{ id?: string }, LabView];
  /** end the active exam: grade every task */
  'labs.finishExam': [void, LabExamReport];
}

/** Events: Node → renderer. */
export interface Events {
  'terminal.data': TerminalData;
  'terminal.exit': TerminalExit;
  'k8s.event': WatchEvent;
  'cluster.status': ClusterStatus;
  /** settings changed elsewhere (the desktop app's Language menu, another tab) */
  'settings.changed': Settings;
  /** a lab's progress changed (so every open page refreshes it) */
  'labs.changed': LabChanged;
}

export type CallName = keyof Calls;
export type EventName = keyof Events;
export type CallRequest<K extends CallName> = Calls[K][0];
export type CallResponse<K extends CallName> = Calls[K][1];

/** Runtime lists (the preload exposes exactly these; the WebSocket carrier accepts exactly these). */
export const CALL_NAMES = [
  'app.info',
  'settings.get',
  'settings.set',
  'cluster.status',
  'k8s.list',
  'k8s.get',
  'k8s.events',
  'k8s.watch',
  'k8s.unwatch',
  'terminal.open',
  'terminal.input',
  'terminal.resize',
  'terminal.ack',
  'terminal.close',
  'sim.clock',
  'sim.setSpeed',
  'sim.nodes',
  'sim.stopNode',
  'sim.startNode',
  'sim.killContainer',
  'sim.reset',
  'labs.list',
  'labs.view',
  'labs.start',
  'labs.check',
  'labs.hint',
  'labs.solution',
  'labs.skip',
  'labs.reset',
  'labs.finishExam',
] as const satisfies readonly CallName[];

export const EVENT_NAMES = ['terminal.data', 'terminal.exit', 'k8s.event', 'cluster.status', 'settings.changed', 'labs.changed'] as const satisfies readonly EventName[];

// compile-time check that the runtime lists name every declared call and event
type Missing<All, Listed> = Exclude<All, Listed>;
const _allCalls: Missing<CallName, (typeof CALL_NAMES)[number]> extends never ? true : never = true;
const _allEvents: Missing<EventName, (typeof EVENT_NAMES)[number]> extends never ? true : never = true;
void _allCalls;
void _allEvents;

/** What the renderer holds, whichever carrier is underneath. */
export interface Bridge {
  call<K extends CallName>(name: K, req: CallRequest<K>): Promise<Result<CallResponse<K>>>;
  on<K extends EventName>(name: K, cb: (payload: Events[K]) => void): () => void;
}

/** What the Node side implements; one handler per call, `emit` pushes events to the renderer. */
export type Handlers = { [K in CallName]: (req: CallRequest<K>, client: ClientContext) => Promise<CallResponse<K>> | CallResponse<K> };

export interface ClientContext {
  /** a stable id of the connected renderer (window or browser tab) */
  id: string;
  emit<K extends EventName>(name: K, payload: Events[K]): void;
  /** called when the renderer goes away (window closed, socket dropped) */
  onClose(cb: () => void): void;
}

/** WebSocket wire messages (browser mode). */
export type WireMessage =
  | { t: 'call'; id: number; name: CallName; req: unknown }
  | { t: 'result'; id: number; result: Result<unknown> }
  | { t: 'event'; name: EventName; payload: unknown };
