// A small Markdown reader for lab instructions: it turns the text into plain data (blocks holding
// inline spans) that Svelte templates render as text nodes, so nothing in a lab ever becomes HTML
// or markup of its own: `<script>` in a lab is shown as the characters `<script>`. It covers what
// labs use: headings, paragraphs, flat lists, block quotes, fenced code blocks, inline code,
// **bold**, *italics* and links (shown as their text, never followed: the app does not navigate).
// Code block flags follow labs/README.md (the same rule as codeBlocks() in main/labs/markdown.ts).

export type Inline =
  | { t: 'text'; text: string }
  | { t: 'code'; text: string }
  | { t: 'strong'; children: Inline[] }
  | { t: 'em'; children: Inline[] }
  /** a link shows its text; `href` is kept for a tooltip only */
  | { t: 'link'; children: Inline[]; href: string };

export type Block =
  | { t: 'heading'; level: number; children: Inline[] }
  | { t: 'paragraph'; children: Inline[] }
  | { t: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { t: 'quote'; children: Inline[] }
  | { t: 'code'; lang: string; code: string; runnable: boolean; needsEdit: boolean };

const RUNNABLE = new Set(['bash', 'sh', 'shell', 'console']);
const FENCE = /^([ \t]*)(`{3,}|~{3,})[ \t]*([\w-]*)[^\n]*$/;
const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$/;
const ITEM = /^[ \t]*([-*+]|(\d{1,9})[.)])[ \t]+(.*)$/;
const QUOTE = /^ {0,3}>[ \t]?(.*)$/;
const PLACEHOLDER = /<[a-z][^<>\n]*>/i;

export function parseMarkdown(src: string): Block[] {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  const out: Block[] = [];
  let para: string[] = [];
  let list: { ordered: boolean; start: number; items: string[][] } | undefined;
  let quote: string[] = [];

  const flush = () => {
    if (para.length) out.push({ t: 'paragraph', children: parseInline(para.join(' ')) });
    if (list) out.push({ t: 'list', ordered: list.ordered, start: list.start, items: list.items.map((it) => parseInline(it.join(' '))) });
    if (quote.length) out.push({ t: 'quote', children: parseInline(quote.join(' ')) });
    para = [];
    list = undefined;
    quote = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const [, indent = '', marker = '```', lang = ''] = fence;
      const body: string[] = [];
      let j = i + 1;
      // the closing fence: same character, at least as long, nothing after it
      for (; j < lines.length; j++) {
        const close = /^[ \t]*(`{3,}|~{3,})[ \t]*$/.exec(lines[j]!);
        if (close && close[1]![0] === marker[0] && close[1]!.length >= marker.length) break;
        body.push(lines[j]!.startsWith(indent) ? lines[j]!.slice(indent.length) : lines[j]!.trimStart());
      }
      i = j;
      const code = body.join('\n');
      const l = lang.toLowerCase();
      const runnable = RUNNABLE.has(l);
      out.push({ t: 'code', lang: l, code, runnable, needsEdit: runnable && PLACEHOLDER.test(code) });
      continue;
    }
    if (!line.trim()) {
      flush();
      continue;
    }
    const h = HEADING.exec(line);
    if (h) {
      flush();
      out.push({ t: 'heading', level: h[1]!.length, children: parseInline(h[2]!) });
      continue;
    }
    const item = ITEM.exec(line);
    if (item) {
      const ordered = item[2] !== undefined;
      if (para.length || quote.length || (list && list.ordered !== ordered)) flush();
      list ??= { ordered, start: ordered ? Number(item[2]) : 1, items: [] };
      list.items.push([item[3]!.trim()]);
      continue;
    }
    const q = QUOTE.exec(line);
    if (q && !list) {
      if (para.length) flush();
      quote.push(q[1]!.trim());
      continue;
    }
    // a continuation line: of the last list item when indented or lazily following it, else text
    if (list) list.items[list.items.length - 1]!.push(line.trim());
    else if (quote.length) quote.push(line.trim());
    else para.push(line.trim());
  }
  flush();
  return out;
}

/** Inline spans of one block's text. Unmatched markers stay as the characters they are. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let buf = '';
  const push = (n: Inline) => {
    if (buf) out.push({ t: 'text', text: buf });
    buf = '';
    out.push(n);
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length && /[\\`*_[\]()#+\-.!<>{}|~]/.test(text[i + 1]!)) {
      buf += text[i + 1];
      i += 2;
      continue;
    }
    if (c === '`') {
      const ticks = /^`+/.exec(text.slice(i))![0];
      const end = text.indexOf(ticks, i + ticks.length);
      if (end > 0) {
        let code = text.slice(i + ticks.length, end);
        if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ')) code = code.slice(1, -1);
        push({ t: 'code', text: code });
        i = end + ticks.length;
        continue;
      }
      buf += ticks;
      i += ticks.length;
      continue;
    }
    if (c === '*' || c === '_') {
      const double = text[i + 1] === c;
      const marker = double ? c + c : c;
      const end = findClose(text, i + marker.length, marker);
      // `_` inside a word (snake_case) is not emphasis
      const wordy = c === '_' && i > 0 && /\w/.test(text[i - 1]!);
      if (end > i + marker.length && !wordy && !/\s/.test(text[i + marker.length]!)) {
        const inner = parseInline(text.slice(i + marker.length, end));
        push(double ? { t: 'strong', children: inner } : { t: 'em', children: inner });
        i = end + marker.length;
        continue;
      }
    }
    if (c === '[') {
      const m = /^\[([^\]\n]*)\]\(([^)\s]*)(?:\s+"[^"]*")?\)/.exec(text.slice(i));
      if (m) {
        push({ t: 'link', children: parseInline(m[1]!), href: m[2]! });
        i += m[0].length;
        continue;
      }
    }
    buf += c;
    i++;
  }
  if (buf) out.push({ t: 'text', text: buf });
  return out;
}

function findClose(text: string, from: number, marker: string): number {
  for (let j = from; j < text.length; j++) {
    if (text[j] === '`') {
      const end = text.indexOf('`', j + 1);
      if (end < 0) return -1;
      j = end;
      continue;
    }
    if (text.startsWith(marker, j) && !/\s/.test(text[j - 1]!)) {
      // `**` closes `**`, but a single `*` must not match the first half of a `**`
      if (marker.length === 1 && text[j + 1] === marker) {
        j++;
        continue;
      }
      return j;
    }
  }
  return -1;
}

/** The plain text of inline spans (for aria labels and tests). */
export function inlineText(spans: readonly Inline[]): string {
  return spans.map((s) => (s.t === 'text' || s.t === 'code' ? s.text : inlineText(s.children))).join('');
}

/** The commands of a runnable block as they go to the terminal: one line each, blank lines dropped. */
export function commandLines(code: string): string[] {
  return code.split('\n').filter((l) => l.trim() !== '');
}
