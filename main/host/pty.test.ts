// Terminals: flow control, ownership and exit with a fake pty (deterministic), then a real shell
// through node-pty: clean environment, input → output, resize, exit and reopen.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClientContext, EventName, Events } from '../bridge/contract.js';
import { dataLayout } from './paths.js';
import { nodePtySpawn, PtyManager, type PtyLike, type PtySpawn } from './pty.js';
import { prepareTerminalLaunch } from './terminal-env.js';

function fakeClient(id = 'c1') {
  const events: Array<{ name: EventName; payload: unknown }> = [];
  const closers: Array<() => void> = [];
  const client: ClientContext = {
    id,
    emit: <K extends EventName>(name: K, payload: Events[K]) => void events.push({ name, payload }),
    onClose: (cb) => void closers.push(cb),
  };
  return { client, events, goAway: () => closers.splice(0).forEach((f) => f()) };
}

function fakePty() {
  const calls: string[] = [];
  let dataCb: (d: string) => void = () => undefined;
  let exitCb: (e: { exitCode: number; signal?: number }) => void = () => undefined;
  const pty: PtyLike = {
    pid: 42,
    onData: (cb) => ((dataCb = cb), { dispose: () => calls.push('dispose-data') }),
    onExit: (cb) => ((exitCb = cb), { dispose: () => calls.push('dispose-exit') }),
    write: (d) => void calls.push(`write ${d}`),
    resize: (c, r) => void calls.push(`resize ${c}x${r}`),
    pause: () => void calls.push('pause'),
    resume: () => void calls.push('resume'),
    kill: (s) => void calls.push(`kill ${s ?? ''}`.trim()),
  };
  return { pty, calls, output: (d: string) => dataCb(d), exit: (code: number) => exitCb({ exitCode: code }) };
}

const launch = { file: '/bin/sh', args: [], cwd: '/', env: {} };

describe('PtyManager with a fake pty', () => {
  it('pauses above the high watermark and resumes below the low one', async () => {
    const f = fakePty();
    const m = new PtyManager({ spawn: () => () => f.pty, launch: () => launch, highWatermark: 100, lowWatermark: 20 });
    const { client, events } = fakeClient();
    const { id } = await m.open(client, { cols: 80, rows: 24 });
    f.output('x'.repeat(60));
    f.output('x'.repeat(60)); // 120 unacked > 100
    expect(f.calls.filter((c) => c === 'pause')).toHaveLength(1);
    f.output('x'.repeat(10)); // already paused: no second pause
    expect(m.state(id)).toEqual({ unacked: 130, paused: true });
    m.ack(client, id, 100); // 30 left: not below 20 yet
    expect(f.calls).not.toContain('resume');
    m.ack(client, id, 15); // 15 < 20
    expect(f.calls.filter((c) => c === 'resume')).toHaveLength(1);
    expect(m.state(id)).toEqual({ unacked: 15, paused: false });
    m.ack(client, id, 1000);
    expect(m.state(id)).toEqual({ unacked: 0, paused: false });
    expect(events.filter((e) => e.name === 'terminal.data')).toHaveLength(3);
  });

  it('writes input, resizes (clamped), and hides terminals from other clients', async () => {
    const f = fakePty();
    const m = new PtyManager({ spawn: () => () => f.pty, launch: () => launch });
    const a = fakeClient('a');
    const b = fakeClient('b');
    const { id } = await m.open(a.client, { cols: 80, rows: 24 });
    m.input(a.client, id, 'ls\r');
    m.resize(a.client, id, 120.7, 0);
    expect(f.calls).toEqual(['write ls\r', 'resize 120x1']);
    expect(() => m.input(b.client, id, 'rm -rf /\r')).toThrow(expect.objectContaining({ code: 'NotFound' }));
    expect(() => m.resize(a.client, id, Number.NaN, 3)).toThrow(expect.objectContaining({ code: 'BadRequest' }));
  });

  it('reports exit once and lets the client open a new terminal', async () => {
    const ptys = [fakePty(), fakePty()];
    let n = 0;
    const m = new PtyManager({ spawn: () => () => ptys[n++]!.pty, launch: () => launch });
    const { client, events } = fakeClient();
    const first = await m.open(client, { cols: 80, rows: 24 });
    ptys[0]!.exit(3);
    expect(events).toContainEqual({ name: 'terminal.exit', payload: { id: first.id, exitCode: 3 } });
    expect(m.count()).toBe(0);
    expect(() => m.input(client, first.id, 'x')).toThrow(expect.objectContaining({ code: 'NotFound' }));
    const second = await m.open(client, { cols: 80, rows: 24 });
    expect(second.id).not.toBe(first.id);
    expect(m.count()).toBe(1);
  });

  it('kills the terminals of a client that goes away (resuming a paused one first)', async () => {
    const f = fakePty();
    const m = new PtyManager({ spawn: () => () => f.pty, launch: () => launch, highWatermark: 1, lowWatermark: 0 });
    const c = fakeClient();
    await m.open(c.client, { cols: 80, rows: 24 });
    f.output('lots');
    c.goAway();
    expect(f.calls.slice(-2)).toEqual(['resume', 'kill SIGHUP']);
    expect(m.count()).toBe(0);
  });

  it('shows the launch banner (e.g. kubectl missing) as terminal output', async () => {
    const f = fakePty();
    const m = new PtyManager({ spawn: () => () => f.pty, launch: () => ({ ...launch, banner: 'no kubectl\r\n' }) });
    const { client, events } = fakeClient();
    const { id } = await m.open(client, { cols: 80, rows: 24 });
    await new Promise((r) => setImmediate(r));
    expect(events[0]).toEqual({ name: 'terminal.data', payload: { id, data: 'no kubectl\r\n' } });
  });
});

describe('PtyManager.prewarm (the first terminal started before it is asked for)', () => {
  const tick = () => new Promise((r) => setImmediate(r));
  const cases: Array<{ name: string; banner?: string; size: { cols: number; rows: number }; before: string[]; after: string[]; calls: string[]; data: string[] }> = [
    { name: 'same size: no resize, the prompt it printed is replayed', size: { cols: 80, rows: 24 }, before: ['$ '], after: [], calls: [], data: ['$ '] },
    { name: 'another size: resized to the page', size: { cols: 120, rows: 30 }, before: ['$ '], after: [], calls: ['resize 120x30'], data: ['$ '] },
    { name: 'banner first, then what it printed, then live output', banner: 'no kubectl\r\n', size: { cols: 80, rows: 24 }, before: ['a', 'b'], after: ['c'], calls: [], data: ['no kubectl\r\n', 'a', 'b', 'c'] },
    { name: 'nothing printed yet: live output only', size: { cols: 80, rows: 24 }, before: [], after: ['$ '], calls: [], data: ['$ '] },
  ];
  it.each(cases)('$name', async (c) => {
    const f = fakePty();
    let spawned = 0;
    const m = new PtyManager({ spawn: () => () => (spawned++, f.pty), launch: () => ({ ...launch, ...(c.banner ? { banner: c.banner } : {}) }) });
    await m.prewarm();
    expect(spawned).toBe(1);
    for (const d of c.before) f.output(d);
    const { client, events } = fakeClient();
    const { id } = await m.open(client, c.size);
    // nothing is sent before the client has the id
    expect(events).toEqual([]);
    for (const d of c.after) f.output(d);
    await tick();
    expect(spawned).toBe(1);
    expect(f.calls.filter((x) => !x.startsWith('dispose'))).toEqual(c.calls);
    expect(events.map((e) => e.payload)).toEqual(c.data.map((data) => ({ id, data })));
    expect(m.state(id)).toEqual({ unacked: c.data.join('').length, paused: false });
  });

  it('is used once: the next terminal spawns its own shell', async () => {
    const ptys = [fakePty(), fakePty()];
    let n = 0;
    const m = new PtyManager({ spawn: () => () => ptys[n++]!.pty, launch: () => launch });
    await Promise.all([m.prewarm(), m.prewarm()]);
    expect(n).toBe(1);
    const { client } = fakeClient();
    await m.open(client, { cols: 80, rows: 24 });
    await m.open(client, { cols: 80, rows: 24 });
    expect(n).toBe(2);
  });

  it('an open() during the spare start waits for it and adopts it', async () => {
    const f = fakePty();
    let spawned = 0;
    const m = new PtyManager({ spawn: async () => (await new Promise((r) => setTimeout(r, 5)), () => (spawned++, f.pty)), launch: () => launch });
    void m.prewarm();
    const { client } = fakeClient();
    await m.open(client, { cols: 80, rows: 24 });
    expect(spawned).toBe(1);
  });

  it('a spare that exited is dropped and a fresh shell spawned', async () => {
    const ptys = [fakePty(), fakePty()];
    let n = 0;
    const m = new PtyManager({ spawn: () => () => ptys[n++]!.pty, launch: () => launch });
    await m.prewarm();
    ptys[0]!.output('bye');
    ptys[0]!.exit(1);
    const { client, events } = fakeClient();
    await m.open(client, { cols: 80, rows: 24 });
    await tick();
    expect(n).toBe(2);
    expect(events).toEqual([]);
  });

  it('a spare that printed past the high watermark stays paused until the client acks', async () => {
    const f = fakePty();
    const m = new PtyManager({ spawn: () => () => f.pty, launch: () => launch, highWatermark: 10, lowWatermark: 2 });
    await m.prewarm();
    f.output('x'.repeat(12));
    expect(f.calls).toContain('pause');
    const { client } = fakeClient();
    const { id } = await m.open(client, { cols: 80, rows: 24 });
    await tick();
    expect(m.state(id)).toEqual({ unacked: 12, paused: true });
    m.ack(client, id, 11);
    expect(f.calls.filter((x) => x === 'resume')).toHaveLength(1);
    expect(m.state(id)).toEqual({ unacked: 1, paused: false });
  });

  it('closeAll kills the spare and starts no other', async () => {
    const f = fakePty();
    let spawned = 0;
    const m = new PtyManager({ spawn: () => () => (spawned++, f.pty), launch: () => launch });
    await m.prewarm();
    m.closeAll();
    expect(f.calls).toContain('kill SIGHUP');
    await m.prewarm();
    expect(spawned).toBe(1);
  });

  it('a failing spawn leaves open() to report it', async () => {
    const m = new PtyManager({
      spawn: () => () => {
        throw new Error('no pty');
      },
      launch: () => launch,
    });
    await m.prewarm();
    await expect(m.open(fakeClient().client, { cols: 80, rows: 24 })).rejects.toThrow('no pty');
  });
});

describe('PtyManager with a real shell', () => {
  it('runs bash in the workspace with only allowed variables and the lab kubeconfig', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kubelab-pty-'));
    const home = mkdtempSync(path.join(tmpdir(), 'kubelab-home-'));
    const layout = dataLayout(root);
    // the user's own rc may point at a real cluster: the lab's values must win
    writeFileSync(path.join(home, '.bashrc'), 'export KUBECONFIG=/home/learner/.kube/prod\nexport KUBECTL_X=1\n');
    const userEnv: NodeJS.ProcessEnv = {
      HOME: home,
      USER: 'learner',
      LANG: 'C.UTF-8',
      LC_TIME: 'C',
      PATH: process.env['PATH'],
      SHELL: '/bin/bash',
      KUBECONFIG: '/home/learner/.kube/prod-cluster',
      KUBECTL_EXTERNAL_DIFF: 'meld',
      AWS_SECRET_ACCESS_KEY: 'secret',
      EDITOR: 'emacs',
    };
    const spawn: PtySpawn = await nodePtySpawn();
    const m = new PtyManager({ spawn: () => spawn, launch: () => prepareTerminalLaunch({ layout, userEnv }) });
    const { client, events } = fakeClient();
    const { id } = await m.open(client, { cols: 80, rows: 24 });
    const output = () => events.filter((e) => e.name === 'terminal.data').map((e) => (e.payload as { data: string }).data).join('');
    // the shell's own view (after its rc file), written to a file to avoid parsing the screen
    m.input(client, id, 'env > env.txt; stty size; echo MARK-$((40+2))\r');
    await expect.poll(output, { timeout: 15_000 }).toContain('MARK-42');
    expect(output()).toContain('24 80');
    const env = Object.fromEntries(
      readFileSync(path.join(layout.workspace, 'env.txt'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(env['KUBECONFIG']).toBe(layout.kubeconfig);
    expect(env['KUBECACHEDIR']).toBe(layout.kubeCache);
    expect(env['PWD']).toBe(layout.workspace);
    expect(env['TERM']).toBe('xterm-256color');
    expect(env['EDITOR']).toMatch(/^(vim|nano|vi)$/);
    expect(env['LC_TIME']).toBe('C');
    // bash adds a few of its own (PWD, SHLVL, OLDPWD, _); nothing else from outside the allowlist
    const allowed = new Set(['HOME', 'USER', 'LANG', 'LC_TIME', 'PATH', 'SHELL', 'TERM', 'COLORTERM', 'KUBECONFIG', 'KUBECACHEDIR', 'EDITOR', 'PWD', 'SHLVL', 'OLDPWD', '_']);
    expect(Object.keys(env).filter((k) => !allowed.has(k))).toEqual([]);

    m.resize(client, id, 100, 30);
    m.input(client, id, 'stty size; type k; exit 7\r');
    await expect.poll(() => events.find((e) => e.name === 'terminal.exit')?.payload, { timeout: 15_000 }).toEqual({ id, exitCode: 7 });
    expect(output()).toContain('30 100');
    expect(output()).toMatch(/k is aliased to `kubectl'/);
    expect(existsSync(path.join(layout.shell, 'bashrc'))).toBe(true);

    // restart: a new terminal after the exit
    const again = await m.open(client, { cols: 80, rows: 24 });
    m.input(client, again.id, 'echo AGAIN-$((1+1))\r');
    await expect.poll(output, { timeout: 15_000 }).toContain('AGAIN-2');
    m.closeAll();
  });

  it('a prewarmed bash takes the size of the terminal that adopts it', async () => {
    const layout = dataLayout(mkdtempSync(path.join(tmpdir(), 'kubelab-pty-')));
    const userEnv: NodeJS.ProcessEnv = { HOME: mkdtempSync(path.join(tmpdir(), 'kubelab-home-')), PATH: process.env['PATH'], SHELL: '/bin/bash' };
    const spawn: PtySpawn = await nodePtySpawn();
    const m = new PtyManager({ spawn: () => spawn, launch: () => prepareTerminalLaunch({ layout, userEnv }) });
    await m.prewarm();
    const { client, events } = fakeClient();
    const { id } = await m.open(client, { cols: 100, rows: 30 });
    const output = () => events.filter((e) => e.name === 'terminal.data').map((e) => (e.payload as { data: string }).data).join('');
    m.input(client, id, 'stty size; echo "KC=$KUBECONFIG"\r');
    await expect.poll(output, { timeout: 15_000 }).toContain(`KC=${layout.kubeconfig}`);
    expect(output()).toContain('30 100');
    expect(output()).toMatch(/controlplane:workspace[$#] /);
    m.closeAll();
  });
});
