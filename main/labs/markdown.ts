// The one rule the UI needs from step instructions: which fenced code blocks are commands (copy +
// "run in terminal") and which are only to copy. See labs/README.md.

export interface CodeBlock {
  lang: string;
  code: string;
  /** bash/sh/shell blocks: offer "run in terminal" */
  runnable: boolean;
  /** contains a <placeholder> the learner must fill in before running */
  needsEdit: boolean;
}

const RUNNABLE = new Set(['bash', 'sh', 'shell', 'console']);

export function codeBlocks(markdown: string): CodeBlock[] {
  const out: CodeBlock[] = [];
  const re = /^([ \t]*)(```+|~~~+)[ \t]*([\w-]*)[^\n]*\n([\s\S]*?)^\1\2[ \t]*$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    const lang = (m[3] ?? '').toLowerCase();
    const code = m[4]!.replace(/\n$/, '');
    out.push({ lang, code, runnable: RUNNABLE.has(lang), needsEdit: /<[a-z][^<>\n]*>/i.test(code) && RUNNABLE.has(lang) });
  }
  return out;
}
