import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { codeBlocks } from '../../../../main/labs/markdown.js';
import { inlineText, parseInline, parseMarkdown, type Block, type Inline } from './markdown.js';

/** every string a template would print, depth first (Svelte escapes each as a text node) */
function texts(x: Block[] | Inline[]): string[] {
  return (x as Array<Block | Inline>).flatMap((n): string[] => {
    if (n.t === 'text' || n.t === 'code') return 'text' in n ? [n.text] : [n.code];
    if (n.t === 'list') return n.items.flatMap((i) => texts(i));
    if ('children' in n) return texts(n.children);
    return [];
  });
}

describe('parseInline', () => {
  it.each([
    ['plain', [{ t: 'text', text: 'plain' }]],
    ['run `kubectl get pods` now', [{ t: 'text', text: 'run ' }, { t: 'code', text: 'kubectl get pods' }, { t: 'text', text: ' now' }]],
    ['**Events** and *this*', [{ t: 'strong', children: [{ t: 'text', text: 'Events' }] }, { t: 'text', text: ' and ' }, { t: 'em', children: [{ t: 'text', text: 'this' }] }]],
    ['__b__ _i_', [{ t: 'strong', children: [{ t: 'text', text: 'b' }] }, { t: 'text', text: ' ' }, { t: 'em', children: [{ t: 'text', text: 'i' }] }]],
    ['snake_case_name stays', [{ t: 'text', text: 'snake_case_name stays' }]],
    ['2 * 3 * 4', [{ t: 'text', text: '2 * 3 * 4' }]],
    ['unclosed `tick and **bold', [{ t: 'text', text: 'unclosed `tick and **bold' }]],
    ['see [the docs](https://k8s.io "t")!', [{ t: 'text', text: 'see ' }, { t: 'link', href: 'https://k8s.io', children: [{ t: 'text', text: 'the docs' }] }, { t: 'text', text: '!' }]],
    ['**`kubectl`** bold code', [{ t: 'strong', children: [{ t: 'code', text: 'kubectl' }] }, { t: 'text', text: ' bold code' }]],
    ['`` a`b ``', [{ t: 'code', text: 'a`b' }]],
    ['\\*not em\\*', [{ t: 'text', text: '*not em*' }]],
  ] as const)('%s', (src, want) => {
    expect(parseInline(src)).toEqual(want);
  });

  it('keeps HTML and entities as literal text, never markup', () => {
    for (const src of ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '&lt;b&gt; &amp;', '<b>**x**</b>']) {
      const spans = parseInline(src);
      expect(spans.every((s) => s.t !== 'link')).toBe(true);
      expect(inlineText(spans)).toBe(src.replace(/\*\*/g, ''));
    }
  });

  it('a javascript: link is only text (nothing is ever followed)', () => {
    const [link] = parseInline('[click](javascript:alert(1))');
    expect(link).toMatchObject({ t: 'link', href: 'javascript:alert(1' });
  });
});

describe('parseMarkdown', () => {
  it('headings, paragraphs joined across lines, lists, quotes', () => {
    const md = '# Title\n\nOne\ntwo.\n\n- a\n- **b** c\n  continued\n\n1. x\n2. y\n\n> note\n> more\n';
    expect(parseMarkdown(md)).toEqual([
      { t: 'heading', level: 1, children: [{ t: 'text', text: 'Title' }] },
      { t: 'paragraph', children: [{ t: 'text', text: 'One two.' }] },
      { t: 'list', ordered: false, start: 1, items: [[{ t: 'text', text: 'a' }], [{ t: 'strong', children: [{ t: 'text', text: 'b' }] }, { t: 'text', text: ' c continued' }]] },
      { t: 'list', ordered: true, start: 1, items: [[{ t: 'text', text: 'x' }], [{ t: 'text', text: 'y' }]] },
      { t: 'quote', children: [{ t: 'text', text: 'note more' }] },
    ]);
  });

  it.each([
    ['bash', 'kubectl get pods', true, false],
    ['sh', 'kubectl delete pod <name>', true, true],
    ['yaml', 'kind: Pod', false, false],
    ['', 'text', false, false],
    ['Console', 'ls', true, false],
  ])('```%s block: runnable=%s needsEdit=%s', (lang, code, runnable, needsEdit) => {
    expect(parseMarkdown(`Do it:\n\n\`\`\`${lang}\n${code}\n\`\`\`\n`)).toEqual([
      { t: 'paragraph', children: [{ t: 'text', text: 'Do it:' }] },
      { t: 'code', lang: lang.toLowerCase(), code, runnable, needsEdit },
    ]);
  });

  it('code blocks keep their text verbatim (markers, HTML, indentation) and close only on a matching fence', () => {
    const code = '<script>x</script>\n**not bold**\n  indented\n```js\nstill inside';
    const [b] = parseMarkdown(`~~~~text\n${code}\n~~~~`);
    expect(b).toEqual({ t: 'code', lang: 'text', code, runnable: false, needsEdit: false });
  });

  it('an unclosed fence runs to the end', () => {
    expect(parseMarkdown('```bash\nkubectl get pods')).toEqual([{ t: 'code', lang: 'bash', code: 'kubectl get pods', runnable: true, needsEdit: false }]);
  });

  it('no block ever carries markup: every printed string equals its source characters', () => {
    const md = '<div onclick="x">hi</div>\n\n- <iframe src=//evil>\n\n## <b>h</b>';
    expect(texts(parseMarkdown(md))).toEqual(['<div onclick="x">hi</div>', '<iframe src=//evil>', '<b>h</b>']);
  });

  it('agrees with the lab engine on every code block of every lab (runnable, needsEdit, text)', () => {
    const labsDir = resolve(import.meta.dirname, '../../../../labs');
    const ids = readdirSync(labsDir).filter((d) => /^\d\d-/.test(d));
    let n = 0;
    for (const id of ids) {
      let doc: { steps: Array<{ instructions: { en: string; ko: string } }> };
      try {
        doc = parse(readFileSync(resolve(labsDir, id, 'lab.yaml'), 'utf8')) as typeof doc;
      } catch {
        continue;
      }
      for (const s of doc.steps)
        for (const text of [s.instructions.en, s.instructions.ko]) {
          const mine = parseMarkdown(text).filter((b) => b.t === 'code');
          const theirs = codeBlocks(text);
          expect(mine.map((b) => b.t === 'code' && { lang: b.lang, code: b.code, runnable: b.runnable, needsEdit: b.needsEdit })).toEqual(theirs);
          n += mine.length;
        }
    }
    expect(n).toBeGreaterThan(10);
  });
});

describe('rendering', () => {
  it('no component renders raw HTML ({@html}): lab text only ever becomes text nodes', () => {
    const dir = resolve(import.meta.dirname, '../../components');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.svelte'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) expect(readFileSync(resolve(dir, f), 'utf8'), f).not.toContain('{@html');
  });
});
