import { describe, expect, it } from 'vitest';
import type { ClientContext, Language } from '../bridge/contract.js';
import { toBridgeError } from '../bridge/errors.js';
import { LabError, type RunnerOptions } from '../labs/runner.js';
import { labHandlers, type LabRunnerLike } from './labs.js';

const client = { id: 'c1', emit: () => undefined, onClose: () => undefined } as ClientContext;
const T = (en: string) => ({ en, ko: `${en}(ko)` });
const view = (id: string) => ({ id, title: T(id), description: T(''), mode: 'practice' as const, workspaceDir: '/w', steps: [], progress: { labId: id, mode: 'practice' as const, startedAt: '', currentStep: 0, steps: {}, score: 0, maxScore: 0 } });

function setup(o: { cluster?: { kubeconfig: string; url: string }; lang?: Language } = {}) {
  const made: RunnerOptions[] = [];
  const changed: string[] = [];
  const log: string[] = [];
  let cluster = o.cluster ?? { kubeconfig: '/k', url: 'https://127.0.0.1:1' };
  let ready = true;
  const fake: LabRunnerLike = {
    list: async () => ({ labs: [], errors: [] }),
    activeLab: () => '02-pods',
    view: async (id) => view(id),
    start: async (id) => {
      log.push(`start ${id} begin`);
      await new Promise((r) => setTimeout(r, 20));
      log.push(`start ${id} end`);
      return view(id);
    },
    check: async (stepId) => {
      log.push(`check ${stepId}`);
      if (stepId === 'nope') throw new LabError('NoSuchStep', { en: 'no step "nope"', ko: '"nope" 단계가 없습니다' });
      return { stepId, passed: true, score: 1, maxScore: 1, checks: [] };
    },
    hint: async () => ({ hint: T('h'), index: 0, total: 1 }),
    solution: async () => ['kubectl run web'],
    skip: async () => view('02-pods'),
    resetLab: async (id) => view(id ?? '02-pods'),
    finishExam: async () => {
      throw new LabError('NotInExam', { en: 'the active lab is not an exam', ko: '시험 모드가 아닙니다' });
    },
  };
  let lang: Language = o.lang ?? 'en';
  const h = labHandlers({
    labsDir: '/labs', progressDir: '/p', workspaceDir: '/w',
    cluster: () => (ready ? cluster : undefined),
    language: () => lang,
    onChanged: (id) => changed.push(id),
    createRunner: async (opts) => (made.push(opts), fake),
  });
  return { h, made, changed, log, setLang: (l: Language) => (lang = l), setCluster: (c: typeof cluster) => (cluster = c), setReady: (r: boolean) => (ready = r) };
}

async function err(p: unknown): Promise<ReturnType<typeof toBridgeError>> {
  try {
    await p;
  } catch (e) {
    return toBridgeError(e);
  }
  throw new Error('expected an error');
}

describe('lab bridge handlers', () => {
  it('makes the runner with the engine kubeconfig, the terminals workspace and the progress dir, once per engine URL', async () => {
    const s = setup();
    await s.h['labs.list'](undefined, client);
    await s.h['labs.view']({ id: '02-pods' }, client);
    expect(s.made).toEqual([{ dataDir: '/p', kubeconfig: '/k', labsDir: '/labs', workspaceDir: '/w' }]);
    s.setCluster({ kubeconfig: '/k', url: 'https://127.0.0.1:2' });
    await s.h['labs.list'](undefined, client);
    expect(s.made).toHaveLength(2);
  });

  it('lists with the active lab', async () => {
    expect(await setup().h['labs.list'](undefined, client)).toEqual({ labs: [], errors: [], active: '02-pods' });
  });

  it('is Unavailable until the cluster is ready', async () => {
    const s = setup();
    s.setReady(false);
    expect(await err(s.h['labs.list'](undefined, client))).toEqual({ code: 'Unavailable', message: 'the cluster is not running yet' });
    s.setLang('ko');
    expect((await err(s.h['labs.list'](undefined, client))).message).toBe('클러스터가 아직 준비되지 않았습니다');
  });

  it('turns LabError into BridgeError data in the current language', async () => {
    const s = setup();
    expect(await err(s.h['labs.check']({ stepId: 'nope' }, client))).toEqual({ code: 'NoSuchStep', message: 'no step "nope"' });
    s.setLang('ko');
    expect(await err(s.h['labs.finishExam'](undefined, client))).toEqual({ code: 'NotInExam', message: '시험 모드가 아닙니다' });
    expect(await err(s.h['labs.view']({ id: '' }, client))).toMatchObject({ code: 'BadRequest' });
  });

  it('refuses a step of a lab other than the active one (the cluster is in the active lab\'s state)', async () => {
    const s = setup();
    expect(await err(s.h['labs.check']({ stepId: 'run', labId: '03-replicasets' }, client))).toEqual({ code: 'NotActive', message: 'the lab in progress is 02-pods; start 03-replicasets again to continue it' });
    expect((await s.h['labs.check']({ stepId: 'run', labId: '02-pods' }, client)).result.passed).toBe(true);
  });

  it('check answers with the step result and the new view, and announces the change', async () => {
    const s = setup();
    const r = await s.h['labs.check']({ stepId: 'run' }, client);
    expect(r.result.passed).toBe(true);
    expect(r.view.id).toBe('02-pods');
    await s.h['labs.hint']({ stepId: 'run' }, client);
    await s.h['labs.start']({ id: '03-replicasets' }, client);
    expect(s.changed).toEqual(['02-pods', '02-pods', '03-replicasets']);
  });

  it('runs lab operations one at a time (a check never interleaves with a start)', async () => {
    const s = setup();
    await Promise.all([s.h['labs.start']({ id: 'x' }, client), s.h['labs.check']({ stepId: 'run' }, client)]);
    expect(s.log).toEqual(['start x begin', 'start x end', 'check run']);
    // a failure does not block the queue
    await err(s.h['labs.check']({ stepId: 'nope' }, client));
    expect((await s.h['labs.check']({ stepId: 'run' }, client)).result.passed).toBe(true);
  });
});
