// The desktop-app part of BENCHMARKS.md (measurements 8–10, issue 4), measured in browser mode:
// `npm run web` start to prompt, terminal echo in Chromium, the cluster map with hundreds of pods.
import { summarize, type Summary } from './lib/stats.js';
import type { BrowserPlan, BrowserResult } from './measure/browser.js';
import type { HeapReading } from './measure/map.js';
import type { WebStartResult } from './measure/web-start.js';

export interface AppInput {
  webStart: WebStartResult;
  browser: BrowserResult;
  plan: BrowserPlan;
  /** how out/renderer was made ready before timing */
  renderer: string;
  loads: { webStart: string };
}

export const APP_GOALS = { webStartMs: 1500 };

const f0 = (n: number) => n.toFixed(0);
const f1 = (n: number) => n.toFixed(1);
const n0 = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const met = (ok: boolean) => (ok ? '**met**' : '**NOT met**');
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const msOr = (n: number | undefined) => (n === undefined ? 'not reached' : `${n0(n)} ms`);

function startSummary(a: AppInput): Summary | undefined {
  return a.webStart.runs.length ? summarize(a.webStart.runs.map((r) => r.totalMs)) : undefined;
}

/** Load-average rows for the machine section. */
export function appLoads(a: AppInput): string[] {
  return [
    row(['8. `npm run web` to prompt', a.loads.webStart]),
    row(['9. terminal echo (Chromium)', a.browser.loads.echo ?? 'not run']),
    row(['10. 500 pods on the map', a.browser.loads.map ?? 'not run']),
  ];
}

/** Rows for the main results table (measurement | runs | median | p90 | min | max | goal | verdict). */
export function appRows(a: AppInput): string[] {
  const rows: string[] = [];
  const s = startSummary(a);
  rows.push(
    s
      ? row(['8. `npm run web` (fresh data dir): spawn → first shell prompt in terminal.data', String(s.runs), `**${f0(s.median)} ms**`, `${f0(s.p90)} ms`, `${f0(s.min)} ms`, `${f0(s.max)} ms`, `< ${n0(APP_GOALS.webStartMs)} ms`, met(s.median < APP_GOALS.webStartMs)])
      : row(['8. `npm run web` to first prompt', '0', 'failed', '', '', '', `< ${n0(APP_GOALS.webStartMs)} ms`, '**NOT met**']),
  );
  const b = a.browser;
  if (b.echo?.dom.length) {
    const e = summarize(b.echo.dom);
    rows.push(row(['9. terminal echo in Chromium: keydown → character in the xterm DOM (p50; p99 below)', String(e.runs), `**${f1(e.median)} ms**`, `${f1(e.p90)} ms`, `${f1(e.min)} ms`, `${f1(e.max)} ms`, 'none set', '—']));
  } else rows.push(row(['9. terminal echo in Chromium', '0', b.skipped ?? 'failed', '', '', '', 'none set', '—']));
  const m = b.map;
  if (m?.withPods) {
    rows.push(row([`10a. renderer JS heap (after GC) with ${n0(a.plan.map.replicas)} pods on the map`, '1', `**${mib(m.withPods.jsHeapUsed)}**`, '', '', '', 'none set', '—']));
    const c = summarize(m.changeFrames);
    if (c.runs) rows.push(row([`10b. frame interval while the ${n0(a.plan.map.replicas)} pods go to 0 and back (p50; p99 below)`, String(c.runs), `**${f1(c.median)} ms**`, `${f1(c.p90)} ms`, `${f1(c.min)} ms`, `${f1(c.max)} ms`, 'none set', '—']));
  } else rows.push(row([`10. ${n0(a.plan.map.replicas)} pods on the map`, '0', b.skipped ?? 'failed', '', '', '', 'none set', '—']));
  return rows;
}

const pct = (label: string, s: Summary, unit = 'ms') =>
  row([label, String(s.runs), `**${f1(s.median)} ${unit}**`, `${f1(s.p90)} ${unit}`, `${f1(s.p99)} ${unit}`, `${f1(s.max)} ${unit}`]);

const heapRow = (label: string, h: HeapReading) => row([label, mib(h.jsHeapUsed), mib(h.perfMemory), n0(h.domNodes)]);

/** The detail subsection: the start-up split, echo percentiles, heap and frame tables. */
export function appSection(a: AppInput): string[] {
  const out: string[] = ['### 8–10. The app in browser mode (issue 4)', ''];
  const runs = a.webStart.runs;
  if (runs.length) {
    const col = (f: (r: (typeof runs)[number]) => number) => summarize(runs.map(f));
    out.push(
      `Measurement 8, split of each start (median of ${runs.length} runs, load average at start: ${a.loads.webStart}):`,
      '',
      '| phase | median | min | max |',
      '|---|---|---|---|',
      ...(
        [
          ['spawn → URL printed (npm start, bundle check, host and engine bundles loaded, engine ready, page server listening)', col((r) => r.urlMs)],
          ['URL → WebSocket bridge open (token checked)', col((r) => r.bridgeMs)],
          ['bridge open → `terminal.open` answered (pty spawned)', col((r) => r.openMs)],
          ['`terminal.open` → prompt in `terminal.data` (bash reads its rc, completion)', col((r) => r.promptMs)],
          ['**total: spawn → prompt**', col((r) => r.totalMs)],
        ] as const
      ).map(([l, s]) => row([l, `${f0(s.median)} ms`, `${f0(s.min)} ms`, `${f0(s.max)} ms`])),
      '',
    );
  }
  const b = a.browser;
  if (b.pageToPromptMs !== undefined) out.push(`In Chromium (${b.chromiumVersion}), \`page.goto(url)\` → the prompt visible in the page's terminal took ${f0(b.pageToPromptMs)} ms (one sample, app already running).`, '');
  if (b.echo?.dom.length) {
    out.push(
      `Measurement 9, ${b.echo.dom.length} keypresses (${b.echo.misses} not echoed within 5 s), load average at start: ${b.loads.echo}:`,
      '',
      '| echo latency | samples | p50 | p90 | p99 | max |',
      '|---|---|---|---|---|---|',
      pct('keydown → character in the cursor row (DOM)', summarize(b.echo.dom)),
      pct('keydown → the next animation frame (painted)', summarize(b.echo.frame)),
      pct('`page.keyboard.press()` in Node → echo reported (adds CDP round trips)', summarize(b.echo.node)),
      '',
    );
  }
  const m = b.map;
  if (m?.withPods) {
    const idle = summarize(m.idleFrames);
    const change = summarize(m.changeFrames);
    const long = m.changeFrames.filter((d) => d > 50).length;
    out.push(
      `Measurement 10 on the app's default cluster (${m.nodes} nodes: the control plane, tainted, and workers with room for 110 pods each), ` +
        `--speed ${a.plan.map.speed}, load average at start: ${b.loads.map}. ` +
        `All ${n0(a.plan.map.replicas)} chips were on the map ${msOr(m.shownMs)} after the POST; ${m.onNodes} on node boxes ` +
        `(${m.running} Running, all of them ${msOr(m.runningMs)} after the POST) and ${m.pending} in the Pending area (no room on any node).`,
      '',
      '| renderer heap (after a forced GC) | JS heap used (CDP) | performance.memory | DOM nodes |',
      '|---|---|---|---|',
      heapRow('app loaded, terminal open, no bench pods', m.before),
      heapRow(`${n0(a.plan.map.replicas)} bench pods on the map`, m.withPods),
      row(['difference', mib(m.withPods.jsHeapUsed - m.before.jsHeapUsed), mib(m.withPods.perfMemory - m.before.perfMemory), n0(m.withPods.domNodes - m.before.domNodes)]),
      '',
      '| frame interval (requestAnimationFrame) | frames | p50 | p90 | p99 | max |',
      '|---|---|---|---|---|---|',
      pct(`idle, ${n0(a.plan.map.replicas)} pods on the map, ${f1(a.plan.map.idleFrameMs / 1000)} s`, idle),
      pct('while scaling to 0, then back and until the scheduled pods are Running', change),
      '',
      `During the change: ${long} of ${change.runs} frames took longer than 50 ms; scale to 0 → last chip gone ${msOr(m.goneMs)}, ` +
        `scale back → all chips drawn ${msOr(m.backMs)}, scheduled ones Running ${msOr(m.backRunningMs)}.`,
      '',
    );
  }
  const problems = [...a.webStart.failures.map((f) => `8: ${f}`), ...(b.skipped ? [`9/10 skipped: ${b.skipped}`] : []), ...b.problems, ...(m?.problems ?? [])];
  if (problems.length) out.push('**Problems during 8–10:**', '', ...problems.map((p) => `- ${p}`));
  // the caller separates sections; no trailing blank line of our own
  while (out[out.length - 1] === '') out.pop();
  return out;
}

export function appGoals(a: AppInput): string[] {
  const s = startSummary(a);
  return [
    `- \`npm run web\` start to first interactive prompt (< ${n0(APP_GOALS.webStartMs)} ms): ` +
      (s ? `${met(s.median < APP_GOALS.webStartMs)}, median ${f0(s.median)} ms over ${s.runs} runs.` : '**NOT met**, no run completed.'),
    '- Terminal echo latency, renderer memory and frame time with 500 pods: no numeric goal was set; reported for tracking ' +
      '(for scale: one frame at 60 Hz is 16.7 ms).',
  ];
}

export function appMethod(a: AppInput): string[] {
  const p = a.plan;
  return [
    `8. **\`npm run web\` to prompt.** The renderer in out/renderer was prepared once, untimed (${a.renderer}); each run then spawns ` +
      '`npm run --silent web -- --port 0 --data-dir <fresh temp dir> --skip-build` in its own process group, as test/web-mode.test.ts does, ' +
      'and times from `spawn()` until the printed `KubeLab web UI:` line (the app prints it once the engine process reports ready), then does ' +
      'what the page does first, from the benchmark process: opens the WebSocket bridge with the printed token and the page\'s origin, calls ' +
      '`terminal.open` (120×30), and waits until bash\'s prompt (`controlplane:<dir>$ `, `#` as root) arrives in `terminal.data`. ' +
      'The time includes npm, the launcher\'s staleness check of its esbuild bundles (scripts/web-bundle.mjs; they are built before the ' +
      'first timed run, so no run pays for a build), loading the host and engine bundles, and a cold data dir (PKI generated). ' +
      'Loading the page itself is not part of it (see the Chromium sample below the table). The app is stopped with SIGTERM to the group after each run.',
    `9. **Terminal echo.** One more \`npm run web\`, opened in Debian chromium through playwright-core (headless, the flags of test/ui.test.ts ` +
      'plus `--enable-precise-memory-info`), viewport 1400×860. After the prompt shows, a small page script installs a capture-phase `keydown` ' +
      'listener on the document (it runs before xterm\'s own) and a MutationObserver on the active tab\'s `.xterm-rows`. ' +
      `${p.echoKeys} letters are pressed with \`page.keyboard.press\`, one at a time, each only after the previous one was seen; ` +
      'a sample is the time from that key\'s `keydown` to the mutation after which the cursor row ends with everything typed on that line ' +
      '(bash/readline echoes it through the pty, the bridge and xterm\'s renderer), and to the next animation frame after it. ' +
      `After every ${p.echoPerLine} letters Ctrl-U clears the line (untimed), so the line never wraps and nothing is ever run.`,
    `10. **${n0(p.map.replicas)} pods on the map.** In the same page, after measurement 9: the clock is set to --speed ${p.map.speed} and a Deployment ` +
      `\`bench\` of ${n0(p.map.replicas)} replicas (one nginx container, no requests) is POSTed with the app's admin kubeconfig; the map gets its pods ` +
      'through its usual watch over the bridge. The chips (`[data-pod^="bench-"]`) are counted in the page every 100–200 ms. Heap: CDP ' +
      '`HeapProfiler.collectGarbage`, then `Performance.getMetrics` (JSHeapUsedSize, Nodes) and `performance.memory.usedJSHeapSize`, once before ' +
      'the POST and once all chips are drawn and the scheduled ones are Running. Frames: a requestAnimationFrame loop records every frame ' +
      `interval, first for ${f1(p.map.idleFrameMs / 1000)} s with nothing changing, then from scaling the Deployment to 0 (PUT with resourceVersion) ` +
      'until the last chip is gone, scaling back, until every chip is drawn and the scheduled ones are Running again. ' +
      'Headless chromium with --disable-gpu draws in software at up to 60 frames per second, so 16.7 ms is the floor.',
  ];
}

export function appRaw(a: AppInput): string[] {
  const out = [`- 8 spawn → prompt (ms): ${a.webStart.runs.map((r) => f0(r.totalMs)).join(', ') || 'none'}`];
  out.push(`- 8 spawn → URL printed (ms): ${a.webStart.runs.map((r) => f0(r.urlMs)).join(', ') || 'none'}`);
  const m = a.browser.map;
  if (m) out.push(`- 10 frames over 50 ms while changing (ms): ${m.changeFrames.filter((d) => d > 50).map(f0).join(', ') || 'none'}`);
  return out;
}
