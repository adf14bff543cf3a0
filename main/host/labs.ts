// The lab calls of the bridge: a LabRunner (main/labs) bound to the running engine. The runner is
// made when the cluster is first ready and made again when the engine comes back on another URL
// (a restart after a crash), since its Kubernetes client reads the kubeconfig once. Lab operations
// run one at a time: a check reads the cluster for seconds, and a concurrent start (which resets
// the cluster) must not interleave with it or with another write of the progress file.
import type { Handlers, LabStepRequest, Language } from '../bridge/contract.js';
import { HostError } from '../bridge/errors.js';
import type { LabRunner, RunnerOptions } from '../labs/runner.js';

// The runner's Kubernetes client pulls in @kubernetes/client-node (about a second to load): load
// it with the first lab call, not while the app starts.
const runnerModule = () => import('../labs/runner.js');

/** The part of LabRunner the host uses (a fake in tests). */
export type LabRunnerLike = Pick<LabRunner, 'list' | 'view' | 'start' | 'check' | 'hint' | 'solution' | 'skip' | 'resetLab' | 'finishExam' | 'activeLab'>;

export type LabCallName = 'labs.list' | 'labs.view' | 'labs.start' | 'labs.check' | 'labs.hint' | 'labs.solution' | 'labs.skip' | 'labs.reset' | 'labs.finishExam';
export type LabHandlers = Pick<Handlers, LabCallName>;

export interface LabHostOptions {
  labsDir: string;
  /** where progress.json lives */
  progressDir: string;
  /** the terminals' working directory, so file checks see what the learner wrote */
  workspaceDir: string;
  /** the engine's kubeconfig and URL while the cluster is ready, else undefined */
  cluster: () => { kubeconfig: string; url: string } | undefined;
  /** which half of a bilingual error message reaches the renderer */
  language: () => Language;
  /** a lab's progress changed */
  onChanged: (labId: string) => void;
  createRunner?: (o: RunnerOptions) => Promise<LabRunnerLike>;
  /** convergence wait of a check, seconds (runner default when absent) */
  waitSeconds?: number;
}

export function labHandlers(o: LabHostOptions): LabHandlers {
  const create = o.createRunner ?? (async (r: RunnerOptions) => (await runnerModule()).LabRunner.create(r));
  let current: { url: string; runner: Promise<LabRunnerLike> } | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const runner = (): Promise<LabRunnerLike> => {
    const c = o.cluster();
    if (!c) throw new HostError('Unavailable', o.language() === 'ko' ? '클러스터가 아직 준비되지 않았습니다' : 'the cluster is not running yet');
    if (current?.url !== c.url) {
      const opts: RunnerOptions = { dataDir: o.progressDir, kubeconfig: c.kubeconfig, labsDir: o.labsDir, workspaceDir: o.workspaceDir };
      if (o.waitSeconds !== undefined) opts.waitSeconds = o.waitSeconds;
      const made = create(opts);
      // a failed creation is retried on the next call rather than cached
      made.catch(() => {
        if (current?.runner === made) current = undefined;
      });
      current = { url: c.url, runner: made };
    }
    return current.runner;
  };

  const translate = async (e: unknown): Promise<never> => {
    // a LabError can only come from a runner, so its module is loaded by now
    const { LabError } = await runnerModule();
    if (e instanceof LabError) throw new HostError(e.code, e.text[o.language()] || e.text.en);
    throw e;
  };

  /** runs `fn` after every earlier lab operation; `changed` names the lab to announce afterwards */
  const serial = <T>(fn: (r: LabRunnerLike) => Promise<T>, changed?: (r: LabRunnerLike, v: T) => string | undefined): Promise<T> => {
    const next = queue.then(async () => {
      const r = await runner();
      const v = await fn(r).catch(translate);
      const id = changed?.(r, v);
      if (id) o.onChanged(id);
      return v;
    });
    queue = next.catch(() => undefined);
    return next;
  };
  const active = (r: LabRunnerLike) => r.activeLab();
  /** the step's id, once sure the page is not showing a lab other than the active one */
  const stepOf = (r: LabRunnerLike, req: LabStepRequest | undefined): string => {
    const id = str(req?.stepId, 'stepId');
    const shown = req?.labId;
    const a = r.activeLab();
    if (typeof shown === 'string' && a && shown !== a) {
      throw new HostError('NotActive', o.language() === 'ko' ? `지금 진행 중인 실습은 ${a}입니다. ${shown} 실습을 계속하려면 다시 시작하세요` : `the lab in progress is ${a}; start ${shown} again to continue it`);
    }
    return id;
  };

  return {
    'labs.list': () =>
      serial(async (r) => {
        const { labs, errors } = await r.list();
        const a = r.activeLab();
        return a ? { labs, errors, active: a } : { labs, errors };
      }),
    'labs.view': (req) => serial((r) => r.view(str(req?.id, 'id'))),
    'labs.start': (req) => serial((r) => r.start(str(req?.id, 'id'), { mode: req?.mode === 'exam' ? 'exam' : 'practice' }), (_r, v) => v.id),
    'labs.check': (req) =>
      serial(async (r) => {
        const result = await r.check(stepOf(r, req));
        return { result, view: await r.view(r.activeLab()!) };
      }, (_r, v) => v.view.id),
    'labs.hint': (req) => serial((r) => r.hint(stepOf(r, req)), active),
    'labs.solution': (req) => serial((r) => r.solution(stepOf(r, req)), active),
    'labs.skip': (req) => serial((r) => r.skip(stepOf(r, req)), (_r, v) => v.id),
    'labs.reset': (req) => serial((r) => r.resetLab(typeof req?.id === 'string' ? req.id : undefined), (_r, v) => v.id),
    'labs.finishExam': () => serial((r) => r.finishExam(), (_r, v) => v.labId),
  };
}

function str(v: unknown, field: string): string {
  if (typeof v !== 'string' || !v) throw new HostError('BadRequest', `${field} must be a non-empty string`);
  return v;
}
