// Reads labs/NN-slug/ folders: lab.yaml (metadata, steps, checks, CI data) and setup/*.yaml
// (the starting state). Errors name the file (as `labs/NN-slug/...`) and the field.
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseAllDocuments, parseDocument } from 'yaml';
import { kindInfo } from './kinds.js';
import { LabFormatError, validateLab, type LoadedLab } from './schema.js';

export { LabFormatError, type LoadedLab } from './schema.js';

/** The labs folder shipped with the app (repo root / labs). */
export function defaultLabsDir(): string {
  return path.resolve(import.meta.dirname, '../../labs');
}

const LAB_DIR_RE = /^\d\d-[a-z0-9-]+$/;

export async function listLabDirs(labsDir: string): Promise<string[]> {
  const entries = await fsp.readdir(labsDir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory() && LAB_DIR_RE.test(e.name)).map((e) => e.name).sort();
}

function shown(labsDir: string, ...parts: string[]): string {
  return path.join(path.basename(labsDir), ...parts).split(path.sep).join('/');
}

async function loadSetup(labsDir: string, id: string, errors: string[]): Promise<Array<Record<string, unknown>>> {
  const dir = path.join(labsDir, id, 'setup');
  if (!existsSync(dir)) return [];
  const files = (await fsp.readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  const out: Array<Record<string, unknown>> = [];
  for (const f of files) {
    const name = shown(labsDir, id, 'setup', f);
    const docs = parseAllDocuments(await fsp.readFile(path.join(dir, f), 'utf8'));
    if (!Array.isArray(docs)) {
      errors.push(`${name}: not a YAML stream`);
      continue;
    }
    docs.forEach((d, i) => {
      if (d.errors.length) {
        errors.push(`${name}: documents[${i}]: ${d.errors[0]!.message.split('\n')[0]}`);
        return;
      }
      const o = d.toJS() as Record<string, unknown> | null;
      if (o === null) return;
      const meta = (o.metadata ?? {}) as { name?: unknown };
      if (typeof o.apiVersion !== 'string') errors.push(`${name}: documents[${i}].apiVersion: is required`);
      if (typeof o.kind !== 'string') errors.push(`${name}: documents[${i}].kind: is required`);
      else if (!kindInfo(o.kind)) errors.push(`${name}: documents[${i}].kind: unknown kind "${o.kind}"`);
      else if (kindInfo(o.kind)!.apiVersion !== o.apiVersion) errors.push(`${name}: documents[${i}].apiVersion: ${o.kind} is served as ${kindInfo(o.kind)!.apiVersion}`);
      if (typeof meta.name !== 'string' || !meta.name) errors.push(`${name}: documents[${i}].metadata.name: is required`);
      out.push(o);
    });
  }
  return out;
}

/** Load and validate one lab; throws LabFormatError listing every problem. */
export async function loadLab(labsDir: string, id: string): Promise<LoadedLab> {
  const dir = path.join(labsDir, id);
  const file = path.join(dir, 'lab.yaml');
  const name = shown(labsDir, id, 'lab.yaml');
  if (!existsSync(file)) throw new LabFormatError([`${name}: file not found`]);
  const lines = new LineCounter();
  const doc = parseDocument(await fsp.readFile(file, 'utf8'), { prettyErrors: false, lineCounter: lines });
  if (doc.errors.length) {
    throw new LabFormatError(doc.errors.map((e) => `${name}: line ${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`));
  }
  const errors: string[] = [];
  const setup = await loadSetup(labsDir, id, errors);
  try {
    const lab = validateLab(doc.toJS(), name, id, dir, setup);
    if (errors.length) throw new LabFormatError(errors);
    return lab;
  } catch (e) {
    if (e instanceof LabFormatError) throw new LabFormatError([...e.errors, ...errors.filter((x) => !e.errors.includes(x))]);
    throw e;
  }
}

/** Every lab; broken ones are reported, not thrown, so one bad lab does not hide the catalog. */
export async function loadAllLabs(labsDir: string): Promise<{ labs: LoadedLab[]; errors: string[] }> {
  const labs: LoadedLab[] = [];
  const errors: string[] = [];
  for (const id of await listLabDirs(labsDir)) {
    try {
      labs.push(await loadLab(labsDir, id));
    } catch (e) {
      if (e instanceof LabFormatError) errors.push(...e.errors);
      else errors.push(`${shown(labsDir, id)}: ${(e as Error).message}`);
    }
  }
  return { labs, errors };
}
