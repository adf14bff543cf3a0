// Build-time generator (npm `prepare`): derives the Kubernetes OpenAPI v3 component schemas,
// with descriptions, from the installed @kubernetes/client-node models, so nothing upstream is
// vendored into the repository. Output: main/engine/api/openapi/generated/schemas.json (git-ignored).
//
// Sources: each model's `.js` gives the JSON field names and types (static attributeTypeMap);
// the matching `.d.ts` gives class/field descriptions (JSDoc) and required fields (no `?`).
// Facts the models lack (owning API group, Quantity fields, patch/list extensions) come from
// main/engine/api/openapi/k8s-facts.ts.

import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ALWAYS, ANY_FIELDS, ATOMIC_STRUCTS, FIELD_EXTENSIONS, FIELDS_V1, INT_OR_STRING, META, META_CLASSES, MICRO_TIME,
  PATCH, PREFIX_GROUPS, QUANTITY, QUANTITY_FIELDS, RAW_EXTENSION, ROOTS, TIME, groupPackage,
} from '../main/engine/api/openapi/k8s-facts.js';

type Schema = Record<string, unknown>;
interface Attr {
  name: string;
  baseName: string;
  type: string;
  format: string;
}
interface ClassDoc {
  description?: string;
  props: Map<string, { description?: string; required: boolean }>;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'main/engine/api/openapi/generated/schemas.json');

function modelsDir(): { dir: string; version: string } {
  const require = createRequire(join(ROOT, 'package.json'));
  const pkgJson = require.resolve('@kubernetes/client-node/package.json');
  const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  return { dir: join(dirname(pkgJson), 'dist/gen/models'), version };
}

/**
 * The models are plain data, so rather than importing ~1400 ES modules we read each
 * `attributeTypeMap = [...]` literal, which is JSON as emitted by the generator.
 */
function readAttrs(dir: string, cls: string): Attr[] | undefined {
  const file = join(dir, `${cls}.js`);
  if (!existsSync(file)) return undefined;
  const src = readFileSync(file, 'utf8');
  const m = src.match(/\.attributeTypeMap = (\[[\s\S]*?\]);\n/);
  return m ? (JSON.parse(m[1]!) as Attr[]) : [];
}

/** The generator flattens Go doc paragraphs to double spaces and escapes quotes for TS. */
function cleanDoc(lines: string[]): string | undefined {
  const text = lines
    .map((l) => l.replace(/^\s*\* ?/, ''))
    .join(' ')
    .trim()
    .replace(/\\(['"\\])/g, '$1')
    .replace(/\*_\//g, '*/')
    .replace(/(\S) {2}(?=\S)/g, '$1\n\n');
  return text || undefined;
}

function readDocs(dir: string, cls: string): ClassDoc {
  const doc: ClassDoc = { props: new Map() };
  const file = join(dir, `${cls}.d.ts`);
  if (!existsSync(file)) return doc;
  let comment: string[] | undefined;
  let collecting: string[] | undefined;
  let inClass = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const t = line.trim();
    if (t.startsWith('/**')) {
      collecting = [];
      continue;
    }
    if (collecting) {
      if (t.startsWith('*/')) {
        comment = collecting;
        collecting = undefined;
      } else collecting.push(t);
      continue;
    }
    if (t.startsWith('export declare class')) {
      if (comment) doc.description = cleanDoc(comment);
      comment = undefined;
      inClass = true;
      continue;
    }
    const p = inClass ? t.match(/^'([^']+)'(\?)?:/) : null;
    if (p) {
      doc.props.set(p[1]!, { description: comment ? cleanDoc(comment) : undefined, required: !p[2] });
      comment = undefined;
    } else if (t) comment = undefined;
  }
  return doc;
}

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const NAME_RE = /^([A-Z][a-z]+)?(V\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$/;

function main(): void {
  const started = Date.now();
  const { dir, version } = modelsDir();
  const pkgOf = new Map<string, string>(); // class → upstream package
  const attrsOf = new Map<string, Attr[]>();
  const queue: Array<[string, string]> = []; // [class, group]

  const nameOf = (cls: string): string => {
    const m = cls.match(NAME_RE);
    return `${pkgOf.get(cls)}.${m ? m[3] : cls}`;
  };

  function claim(cls: string, group: string): void {
    if (pkgOf.has(cls)) return;
    const attrs = readAttrs(dir, cls);
    if (!attrs) throw new Error(`gen-openapi: @kubernetes/client-node has no model ${cls}`);
    const m = cls.match(NAME_RE);
    if (!m) throw new Error(`gen-openapi: unexpected model name ${cls}`);
    const prefixGroup = m[1] ? PREFIX_GROUPS[m[1]] : undefined;
    pkgOf.set(cls, META_CLASSES.includes(cls) ? META : groupPackage(prefixGroup ?? group, m[2]!.toLowerCase()));
    attrsOf.set(cls, attrs);
    queue.push([cls, prefixGroup ?? group]);
  }

  const classRefs = (type: string): string[] => type.match(/\b(?:[A-Z][a-z]+)?V\d+(?:alpha\d+|beta\d+)?[A-Z]\w*/g) ?? [];
  const gvkOf = new Map<string, Array<{ group: string; version: string; kind: string }>>();
  for (const gv of ROOTS) {
    for (const r of gv.kinds) {
      for (const [cls, kind] of [[r.cls, r.kind], [`${r.cls}List`, `${r.kind}List`]] as const) {
        if (!existsSync(join(dir, `${cls}.js`))) continue;
        claim(cls, gv.group);
        gvkOf.set(cls, [{ group: gv.group, kind, version: gv.version }]);
      }
    }
    // Breadth-first per group so nested types take the package of the group listed first.
    while (queue.length) {
      const [cls, group] = queue.shift()!;
      for (const a of attrsOf.get(cls)!) for (const c of classRefs(a.type)) if (c !== 'V1MicroTime') claim(c, group);
    }
  }
  for (const cls of ALWAYS) claim(cls, '');
  while (queue.length) {
    const [cls, group] = queue.shift()!;
    for (const a of attrsOf.get(cls)!) for (const c of classRefs(a.type)) if (c !== 'V1MicroTime') claim(c, group);
  }

  const docs = new Map<string, ClassDoc>();
  const docOf = (cls: string): ClassDoc => {
    let d = docs.get(cls);
    if (!d) docs.set(cls, (d = readDocs(dir, cls)));
    return d;
  };

  function typeSchema(type: string, format: string, field: string): Schema {
    const arr = type.match(/^Array<(.+)>$/);
    if (arr) return { type: 'array', items: typeSchema(arr[1]!, format, field) };
    const map = type.match(/^\{ \[key: string\]: (.+); \}$/);
    if (map) return { type: 'object', additionalProperties: typeSchema(map[1]!, format, field) };
    switch (type) {
      case 'string':
        if (QUANTITY_FIELDS.has(field)) return ref(QUANTITY);
        return format ? { type: 'string', format } : { type: 'string' };
      case 'number':
        return format === 'double' || !format ? { type: 'number', format: format || undefined } : { type: 'integer', format };
      case 'boolean':
        return { type: 'boolean' };
      case 'Date':
        return ref(TIME);
      case 'V1MicroTime':
        return ref(MICRO_TIME);
      case 'IntOrString':
        return ref(INT_OR_STRING);
      case 'any':
        return ANY_FIELDS[field] ? ref(ANY_FIELDS[field]) : { 'x-kubernetes-preserve-unknown-fields': true };
      default:
        if (!pkgOf.has(type)) throw new Error(`gen-openapi: unmapped type ${type} at ${field}`);
        return ref(nameOf(type));
    }
  }

  const clsOfName = new Map<string, string>();
  for (const cls of attrsOf.keys()) {
    const name = nameOf(cls);
    if (clsOfName.has(name)) throw new Error(`gen-openapi: ${cls} and ${clsOfName.get(name)} both map to ${name}`);
    clsOfName.set(name, cls);
  }

  const schemas: Record<string, Schema> = {};
  for (const [cls, attrs] of attrsOf) {
    const doc = docOf(cls);
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const a of attrs) {
      const field = `${cls}.${a.baseName}`;
      const pdoc = doc.props.get(a.name);
      let s = typeSchema(a.type, a.format, field);
      let description = pdoc?.description;
      if (s.$ref) {
        // Upstream wraps a described reference in allOf; client-node drops the field's own text,
        // so fall back to the referenced type's description rather than print "<no description>".
        const target = (s.$ref as string).split('/').pop()!;
        const targetCls = clsOfName.get(target);
        description ??= targetCls ? docOf(targetCls).description : undefined;
        s = { allOf: [s], ...(description ? { description } : {}) };
      } else if (description) s = { description, ...s };
      const ext = FIELD_EXTENSIONS[cls]?.[a.baseName];
      if (ext?.key) s['x-kubernetes-patch-merge-key'] = ext.key;
      if (ext?.strategy) s['x-kubernetes-patch-strategy'] = ext.strategy;
      if (ext?.listType) s['x-kubernetes-list-type'] = ext.listType;
      if (ext?.mapKeys) s['x-kubernetes-list-map-keys'] = ext.mapKeys;
      properties[a.baseName] = s;
      if (pdoc?.required) required.push(a.baseName);
    }
    const schema: Schema = { type: 'object' };
    if (doc.description) schema.description = doc.description;
    schema.properties = properties;
    if (required.length) schema.required = required;
    if (gvkOf.has(cls)) schema['x-kubernetes-group-version-kind'] = gvkOf.get(cls);
    if (ATOMIC_STRUCTS.has(cls)) schema['x-kubernetes-map-type'] = 'atomic';
    schemas[nameOf(cls)] = schema;
  }

  // Types client-node flattens to primitives; the descriptions here are our own words.
  Object.assign(schemas, {
    [TIME]: { type: 'string', format: 'date-time', description: 'A timestamp in RFC 3339 form, serialized as a string.' },
    [MICRO_TIME]: { type: 'string', format: 'date-time', description: 'A timestamp with microsecond precision, RFC 3339 form.' },
    // Quantity and IntOrString are served as oneOf with no top-level type, as upstream's v3 does;
    // that is also what makes kubectl explain name them (<Quantity>, <IntOrString>).
    [QUANTITY]: {
      oneOf: [{ type: 'string' }, { type: 'number' }],
      description: 'A fixed-point number with an optional unit suffix, such as 100m (0.1 CPU), 128Mi or 1G.',
    },
    [INT_OR_STRING]: {
      oneOf: [{ type: 'integer' }, { type: 'string' }],
      format: 'int-or-string',
      'x-kubernetes-int-or-string': true,
      description: 'Either an integer or a string, such as a port number or a port name, or 5 or "25%".',
    },
    [FIELDS_V1]: { type: 'object', description: 'The set of fields a manager owns, in the structured-merge-diff field set format.' },
    [RAW_EXTENSION]: { type: 'object', description: 'An embedded object of any kind, kept as raw JSON.' },
    [PATCH]: { type: 'object', description: 'The body of a PATCH request; its format depends on the Content-Type.' },
  });
  // Upstream serves every component sorted by name (Go map order), which keeps the output stable.
  const sorted: Record<string, Schema> = {};
  for (const name of Object.keys(schemas).sort()) sorted[name] = schemas[name]!;

  mkdirSync(dirname(OUT), { recursive: true });
  const body = { source: `@kubernetes/client-node@${version}`, schemas: sorted };
  writeFileSync(OUT, JSON.stringify(body));
  console.log(`gen-openapi: ${Object.keys(sorted).length} schemas → ${OUT.slice(ROOT.length + 1)} (${Date.now() - started} ms)`);
}

main();
