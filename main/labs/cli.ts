// `npm run lab -- list | validate [ID...] | solve ID... [--kubeconfig F] [--speed X] [--only solution,alternatives,nearMisses]`
// For lab authors and CI. `solve` without --kubeconfig starts a fresh simulated cluster.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { spawnCluster } from './cluster-process.js';
import { defaultLabsDir, LabFormatError, loadAllLabs, loadLab } from './loader.js';
import { solveLab, type SolveOptions } from './solve.js';

const USAGE = `usage:
  npm run lab -- list
  npm run lab -- validate [ID...]
  npm run lab -- solve ID... [--kubeconfig FILE] [--speed X] [--only solution,alternatives,nearMisses]
options: --labs-dir DIR (default: labs/)`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'labs-dir': { type: 'string' },
      kubeconfig: { type: 'string' },
      speed: { type: 'string', default: '60' },
      only: { type: 'string' },
      wait: { type: 'string', default: '60' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [cmd, ...ids] = positionals;
  const labsDir = path.resolve(values['labs-dir'] ?? defaultLabsDir());
  if (values.help || !cmd) {
    console.log(USAGE);
    return cmd || values.help ? 0 : 2;
  }
  if (cmd === 'list') {
    const { labs, errors } = await loadAllLabs(labsDir);
    for (const l of labs) console.log(`${l.id.padEnd(28)} ${l.level.padEnd(12)} ${String(l.minutes).padStart(3)} min  ${l.steps.length} steps  ${l.title.en} / ${l.title.ko}`);
    for (const e of errors) console.error(e);
    return errors.length ? 1 : 0;
  }
  if (cmd === 'validate') {
    const { labs, errors } = ids.length ? await loadSome(labsDir, ids) : await loadAllLabs(labsDir);
    for (const l of labs) console.log(`ok  ${l.id}: ${l.steps.length} steps, ${l.steps.reduce((n, s) => n + s.checks.length, 0)} checks`);
    for (const e of errors) console.error(e);
    return errors.length ? 1 : 0;
  }
  if (cmd === 'solve') {
    if (!ids.length) {
      console.error('solve needs at least one lab id');
      return 2;
    }
    const { labs, errors } = await loadSome(labsDir, ids);
    if (errors.length) {
      for (const e of errors) console.error(e);
      return 1;
    }
    const cluster = values.kubeconfig ? undefined : await spawnCluster({ speed: Number(values.speed) });
    let failed = 0;
    try {
      for (const lab of labs) {
        const report = await solveLab(lab, {
          kubeconfig: values.kubeconfig ? path.resolve(values.kubeconfig) : cluster!.kubeconfig,
          workspaceDir: mkdtempSync(path.join(tmpdir(), `kubelab-ws-${lab.id}-`)),
          waitSeconds: Number(values.wait),
          only: values.only ? (values.only.split(',') as SolveOptions['only']) : undefined,
          log: (l) => console.log(l),
        });
        for (const p of report.problems) console.error(`FAIL ${p}`);
        console.log(`${report.ok ? 'PASS' : 'FAIL'} ${lab.id}`);
        if (!report.ok) failed++;
      }
    } finally {
      await cluster?.stop();
    }
    return failed ? 1 : 0;
  }
  console.error(`unknown command "${cmd}"\n${USAGE}`);
  return 2;
}

async function loadSome(labsDir: string, ids: string[]) {
  const labs = [];
  const errors: string[] = [];
  for (const id of ids) {
    try {
      labs.push(await loadLab(labsDir, id));
    } catch (e) {
      errors.push(...(e instanceof LabFormatError ? e.errors : [(e as Error).message]));
    }
  }
  return { labs, errors };
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`lab: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
