// The labs as reactive state: the catalog, the open lab, the step on screen, what is busy, the last
// error (for the toast) and an exam's score page. Every call goes through the bridge; the Node side
// is the source of truth for progress, so each answer replaces the local view.
import type { Bridge, BridgeError, CallName, CallRequest, CallResponse, LabCatalog, LabExamReport, LabMode, LabStepRequest, LabView } from '../../../../main/bridge/contract.js';
import { initialStep, reportFromView } from './model.js';

export type LabScreen = 'home' | 'lab' | 'report';
export type LabAction = 'start' | 'check' | 'hint' | 'solution' | 'skip' | 'reset' | 'finish' | 'open';

export class LabStore {
  catalog = $state<LabCatalog | null>(null);
  view = $state<LabView | null>(null);
  report = $state<LabExamReport | null>(null);
  screen = $state<LabScreen>('home');
  step = $state(0);
  busy = $state<LabAction | null>(null);
  error = $state<BridgeError | null>(null);
  private started = false;

  constructor(private readonly bridge: Bridge) {
    bridge.on('labs.changed', (e) => void this.onChanged(e.labId));
  }

  /** First load once the cluster is ready: the catalog, then the lab in progress, if any. */
  async init(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.refreshCatalog();
    // not loaded (the cluster went away again): the next ready status tries again
    if (!this.catalog) {
      this.started = false;
      return;
    }
    const active = this.catalog?.active;
    const summary = this.catalog?.labs.find((l) => l.id === active);
    if (active && summary && summary.status !== 'not-started') await this.open(active);
  }

  private async run<K extends CallName>(action: LabAction, name: K, req: CallRequest<K>): Promise<CallResponse<K> | undefined> {
    this.busy = action;
    try {
      const r = await this.bridge.call(name, req);
      if (!r.ok) {
        this.error = r.error;
        return undefined;
      }
      return r.value;
    } finally {
      this.busy = null;
    }
  }

  private req(stepId: string): LabStepRequest {
    return this.view ? { stepId, labId: this.view.id } : { stepId };
  }

  async refreshCatalog(): Promise<void> {
    const r = await this.bridge.call('labs.list', undefined);
    if (r.ok) this.catalog = r.value;
    else this.error = r.error;
  }

  private show(view: LabView, keepStep = false): void {
    const sameLab = this.view?.id === view.id;
    this.view = view;
    this.report = reportFromView(view) ?? null;
    if (!keepStep || !sameLab) this.step = initialStep(view);
    this.step = Math.min(this.step, Math.max(0, view.steps.length - 1));
    this.screen = this.report ? 'report' : 'lab';
  }

  /** Continue a lab already started. */
  async open(id: string): Promise<void> {
    const v = await this.run('open', 'labs.view', { id });
    if (v) this.show(v);
  }

  /** Begin a lab (again): the cluster is reset to the lab's starting state. */
  async start(id: string, mode: LabMode = 'practice'): Promise<void> {
    const v = await this.run('start', 'labs.start', { id, mode });
    if (v) {
      this.show(v);
      void this.refreshCatalog();
    }
  }

  async check(stepId: string): Promise<boolean> {
    const r = await this.run('check', 'labs.check', this.req(stepId));
    if (!r) return false;
    // stay on the step either way: its checks show what passed and why something failed, and
    // "Next" moves on
    this.show(r.view, true);
    void this.refreshCatalog();
    return r.result.passed;
  }

  async hint(stepId: string): Promise<void> {
    if (await this.run('hint', 'labs.hint', this.req(stepId))) await this.reload();
  }

  async solution(stepId: string): Promise<void> {
    if (await this.run('solution', 'labs.solution', this.req(stepId))) await this.reload();
  }

  async skip(stepId: string): Promise<void> {
    const v = await this.run('skip', 'labs.skip', this.req(stepId));
    if (v) {
      this.show(v, true);
      this.step = Math.min(Math.max(this.step + 1, 0), v.steps.length - 1);
    }
  }

  async reset(): Promise<void> {
    const id = this.view?.id;
    const v = await this.run('reset', 'labs.reset', id ? { id } : {});
    if (v) {
      this.show(v);
      void this.refreshCatalog();
    }
  }

  async finishExam(): Promise<void> {
    const r = await this.run('finish', 'labs.finishExam', undefined);
    if (!r) return;
    this.report = r;
    this.screen = 'report';
    await this.reload();
    void this.refreshCatalog();
  }

  /** Back to the catalog (the lab keeps its progress). */
  home(): void {
    this.screen = 'home';
    void this.refreshCatalog();
  }

  go(index: number): void {
    if (!this.view) return;
    this.step = Math.min(Math.max(0, index), this.view.steps.length - 1);
  }

  private async reload(): Promise<void> {
    if (!this.view) return;
    const r = await this.bridge.call('labs.view', { id: this.view.id });
    if (r.ok) this.show(r.value, true);
  }

  /** Another page (or this one) changed a lab: keep the catalog and the open lab current. */
  private async onChanged(labId: string): Promise<void> {
    if (this.busy) return;
    if (this.view?.id === labId && this.screen !== 'home') await this.reload();
    await this.refreshCatalog();
  }
}
