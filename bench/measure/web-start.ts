// Measurement 8 (issue 4): `npm run web` start to the first interactive shell prompt. Each run
// spawns the app on a fresh data dir, waits for the printed URL (the app prints it once the engine
// is ready), then does what the page does first: opens the bridge with the token and a terminal,
// and waits for bash's prompt in terminal.data.
import { freshDir } from '../lib/cluster.js';
import { msSince } from '../lib/stats.js';
import { connectBridge, PROMPT, startWeb } from '../lib/web.js';

export interface WebStartRun {
  /** spawn → URL printed (npm, the launcher checking its bundles, engine process up and ready, static server listening) */
  urlMs: number;
  /** URL printed → WebSocket bridge open */
  bridgeMs: number;
  /** bridge open → terminal.open answered (pty spawned) */
  openMs: number;
  /** terminal.open answered → prompt seen in terminal.data */
  promptMs: number;
  /** spawn → prompt */
  totalMs: number;
}

export interface WebStartResult {
  runs: WebStartRun[];
  failures: string[];
}

async function oneRun(): Promise<WebStartRun> {
  const app = await startWeb(freshDir('kubelab-bench-web-'));
  const bridge = connectBridge(app);
  try {
    const tUrl = msSince(app.t0);
    let text = '';
    let seen: (() => void) | undefined;
    const prompt = new Promise<void>((resolve) => (seen = resolve));
    bridge.on('terminal.data', (d) => {
      text += d.data;
      void bridge.call('terminal.ack', { id: d.id, bytes: d.data.length });
      if (PROMPT.test(text)) seen?.();
    });
    await bridge.opened;
    const tOpen = msSince(app.t0);
    const opened = await bridge.call('terminal.open', { cols: 120, rows: 30 });
    if (!opened.ok) throw new Error(`terminal.open: ${opened.error.message}`);
    const tOpened = msSince(app.t0);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      prompt,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no prompt within 20 s; terminal showed: ${JSON.stringify(text)}`)), 20_000))),
    ]);
    clearTimeout(timer);
    const tPrompt = msSince(app.t0);
    return { urlMs: app.urlMs, bridgeMs: tOpen - tUrl, openMs: tOpened - tOpen, promptMs: tPrompt - tOpened, totalMs: tPrompt };
  } finally {
    bridge.close();
    await app.stop();
  }
}

export async function measureWebStart(runs: number, log: (s: string) => void): Promise<WebStartResult> {
  const out: WebStartRun[] = [];
  const failures: string[] = [];
  for (let i = 0; i < runs; i++) {
    try {
      const r = await oneRun();
      out.push(r);
      log(`  run ${i + 1}/${runs}: prompt at ${r.totalMs.toFixed(0)} ms (URL ${r.urlMs.toFixed(0)}, bridge +${r.bridgeMs.toFixed(0)}, open +${r.openMs.toFixed(0)}, prompt +${r.promptMs.toFixed(0)})`);
    } catch (e) {
      failures.push((e as Error).message.split('\n')[0]!);
      log(`  run ${i + 1}/${runs} failed: ${(e as Error).message}`);
    }
  }
  return { runs: out, failures };
}
