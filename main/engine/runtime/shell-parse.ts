// A small POSIX-sh parser: enough of the grammar for the scripts people put in pod specs
// (lists, && ||, pipes, redirects, while/until/for/if, { } and ( ) groups, quoting and $ expansions).

export type Part =
  | { t: 'lit'; v: string; q: boolean }
  | { t: 'var'; name: string; q: boolean; op?: string; arg?: Word }
  | { t: 'cmd'; src: string; q: boolean }
  | { t: 'arith'; expr: string; q: boolean };
export type Word = Part[];

export interface Redirect {
  fd: number;
  op: '>' | '>>' | '<' | '>&';
  target: Word;
}

export type Node =
  | { k: 'simple'; assigns: Array<{ name: string; value: Word }>; words: Word[]; redirs: Redirect[] }
  | { k: 'list'; items: Array<{ node: Node; bg: boolean }> }
  | { k: 'andor'; first: Node; rest: Array<{ op: '&&' | '||'; node: Node }> }
  | { k: 'pipe'; cmds: Node[]; negate: boolean }
  | { k: 'while'; until: boolean; cond: Node; body: Node; redirs: Redirect[] }
  | { k: 'for'; name: string; items: Word[] | null; body: Node; redirs: Redirect[] }
  | { k: 'if'; branches: Array<{ cond: Node; body: Node }>; otherwise?: Node; redirs: Redirect[] }
  | { k: 'group'; body: Node; subshell: boolean; redirs: Redirect[] };

type Tok = { op: string } | { word: Word; raw: string };

export class ShellSyntaxError extends Error {}

const OPS = ['&&', '||', ';;', '>>', '>&', '&>', ';', '&', '|', '(', ')', '<', '>', '\n'];

/** index just past the `close` matching an opening already consumed at s[i-1] */
function matchClose(s: string, i: number, open: string, close: string): number {
  let depth = 1;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\\') i += 2;
    else if (c === "'") i = s.indexOf("'", i + 1) + 1 || s.length;
    else if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
      i++;
    } else {
      if (c === open) depth++;
      else if (c === close && --depth === 0) return i + 1;
      i++;
    }
  }
  throw new ShellSyntaxError(`unterminated ${open}`);
}

/** parse the $-expansion at s[i] === '$'; returns the part and the next index */
function dollar(s: string, i: number, q: boolean): [Part, number] {
  const n = s[i + 1];
  if (n === '(' && s[i + 2] === '(') {
    const end = matchClose(s, i + 3, '(', ')');
    if (s[end] !== ')') throw new ShellSyntaxError('bad arithmetic');
    return [{ t: 'arith', expr: s.slice(i + 3, end - 1), q }, end + 1];
  }
  if (n === '(') {
    const end = matchClose(s, i + 2, '(', ')');
    return [{ t: 'cmd', src: s.slice(i + 2, end - 1), q }, end];
  }
  if (n === '{') {
    const end = matchClose(s, i + 2, '{', '}');
    const body = s.slice(i + 2, end - 1);
    const m = /^(#?)([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?#$@*!-])(?:(:?[-=+?]|##?|%%?)([\s\S]*))?$/.exec(body);
    if (!m) throw new ShellSyntaxError(`\${${body}}: bad substitution`);
    const part: Part = { t: 'var', name: m[1] ? '#' + m[2]! : m[2]!, q };
    if (m[3]) {
      part.op = m[3];
      part.arg = lexWord(m[4] ?? '', q);
    }
    return [part, end];
  }
  const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?#$@*!-])/.exec(s.slice(i + 1));
  if (!m) return [{ t: 'lit', v: '$', q }, i + 1];
  return [{ t: 'var', name: m[1]!, q }, i + 1 + m[1]!.length];
}

/** expansions inside an already-delimited string (used for ${x:-word} arguments) */
function lexWord(s: string, q: boolean): Word {
  const parts: Word = [];
  let i = 0;
  let lit = '';
  while (i < s.length) {
    if (s[i] === '$') {
      if (lit) parts.push({ t: 'lit', v: lit, q: true });
      lit = '';
      const [p, j] = dollar(s, i, q);
      parts.push(p);
      i = j;
    } else lit += s[i++];
  }
  if (lit) parts.push({ t: 'lit', v: lit, q: true });
  return parts;
}

export function tokenize(s: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && s[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#') {
      while (i < s.length && s[i] !== '\n') i++;
      continue;
    }
    // "2>" / "2>&1" / "1>&2": a digit glued to a redirection operator is its fd
    const fdm = /^([0-9])(>>|>&|>|<)/.exec(s.slice(i));
    if (fdm) {
      toks.push({ op: fdm[1]! + fdm[2]! });
      i += fdm[0].length;
      continue;
    }
    const op = OPS.find((o) => s.startsWith(o, i));
    if (op) {
      toks.push({ op });
      i += op.length;
      continue;
    }
    const start = i;
    const parts: Word = [];
    let lit = '';
    const flush = (q: boolean) => {
      if (lit) parts.push({ t: 'lit', v: lit, q });
      lit = '';
    };
    while (i < s.length) {
      const ch = s[i]!;
      if (' \t\r\n;&|()<>'.includes(ch)) break;
      if (ch === '\\') {
        flush(false);
        if (i + 1 < s.length) parts.push({ t: 'lit', v: s[i + 1]!, q: true });
        i += 2;
      } else if (ch === "'") {
        flush(false);
        const end = s.indexOf("'", i + 1);
        if (end < 0) throw new ShellSyntaxError('unterminated quoted string');
        parts.push({ t: 'lit', v: s.slice(i + 1, end), q: true });
        i = end + 1;
      } else if (ch === '"') {
        flush(false);
        i++;
        // an empty "" still makes a (quoted, empty) word
        parts.push({ t: 'lit', v: '', q: true });
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '\\' && '$`"\\\n'.includes(s[i + 1] ?? '')) {
            if (s[i + 1] !== '\n') lit += s[i + 1];
            i += 2;
          } else if (s[i] === '$') {
            flush(true);
            const [p, j] = dollar(s, i, true);
            parts.push(p);
            i = j;
          } else if (s[i] === '`') {
            flush(true);
            const end = s.indexOf('`', i + 1);
            if (end < 0) throw new ShellSyntaxError('unterminated `');
            parts.push({ t: 'cmd', src: s.slice(i + 1, end), q: true });
            i = end + 1;
          } else lit += s[i++];
        }
        if (i >= s.length) throw new ShellSyntaxError('unterminated quoted string');
        flush(true);
        i++;
      } else if (ch === '$') {
        flush(false);
        const [p, j] = dollar(s, i, false);
        parts.push(p);
        i = j;
      } else if (ch === '`') {
        flush(false);
        const end = s.indexOf('`', i + 1);
        if (end < 0) throw new ShellSyntaxError('unterminated `');
        parts.push({ t: 'cmd', src: s.slice(i + 1, end), q: false });
        i = end + 1;
      } else lit += s[i++];
    }
    flush(false);
    toks.push({ word: parts, raw: s.slice(start, i) });
  }
  return toks;
}

const RESERVED = new Set(['if', 'then', 'elif', 'else', 'fi', 'while', 'until', 'do', 'done', 'for', 'in', '{', '}', '!', 'case', 'esac']);

export function parse(src: string): Node {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const isOp = (o: string) => {
    const t = toks[p];
    return t !== undefined && 'op' in t && t.op === o;
  };
  // a reserved word only counts when unquoted and in command position
  const isWord = (w: string) => {
    const t = toks[p];
    return t !== undefined && 'word' in t && t.raw === w;
  };
  const expectWord = (w: string) => {
    if (!isWord(w)) throw new ShellSyntaxError(`syntax error: unexpected ${describe(peek())}`);
    p++;
  };
  const skipNL = () => {
    while (isOp('\n')) p++;
  };
  const describe = (t: Tok | undefined) => (t === undefined ? 'end of file' : 'op' in t ? (t.op === '\n' ? 'newline' : `"${t.op}"`) : `"${t.raw}"`);

  function list(stops: string[]): Node {
    const items: Array<{ node: Node; bg: boolean }> = [];
    for (;;) {
      skipNL();
      while (isOp(';')) p++;
      skipNL();
      const t = peek();
      if (t === undefined || ('op' in t && t.op === ')') || ('word' in t && stops.includes(t.raw))) break;
      const node = andOr();
      let bg = false;
      if (isOp('&')) {
        bg = true;
        p++;
      } else if (isOp(';') || isOp('\n')) p++;
      else {
        items.push({ node, bg });
        const u = peek();
        if (u === undefined || ('op' in u && u.op === ')') || ('word' in u && stops.includes(u.raw))) break;
        throw new ShellSyntaxError(`syntax error: unexpected ${describe(u)}`);
      }
      items.push({ node, bg });
    }
    return { k: 'list', items };
  }

  function andOr(): Node {
    const first = pipeline();
    const rest: Array<{ op: '&&' | '||'; node: Node }> = [];
    while (isOp('&&') || isOp('||')) {
      const op = (toks[p++] as { op: '&&' | '||' }).op;
      skipNL();
      rest.push({ op, node: pipeline() });
    }
    return rest.length ? { k: 'andor', first, rest } : first;
  }

  function pipeline(): Node {
    let negate = false;
    if (isWord('!')) {
      negate = true;
      p++;
    }
    const cmds = [command()];
    while (isOp('|')) {
      p++;
      skipNL();
      cmds.push(command());
    }
    return cmds.length > 1 || negate ? { k: 'pipe', cmds, negate } : cmds[0]!;
  }

  function redirects(): Redirect[] {
    const out: Redirect[] = [];
    for (;;) {
      const t = peek();
      if (!t || !('op' in t)) return out;
      const m = /^([0-9]?)(>>|>&|>|<|&>)$/.exec(t.op);
      if (!m) return out;
      p++;
      const target = peek();
      if (!target || !('word' in target)) throw new ShellSyntaxError(`syntax error: unexpected ${describe(target)}`);
      p++;
      if (m[2] === '&>') {
        out.push({ fd: 1, op: '>', target: target.word }, { fd: 2, op: '>&', target: [{ t: 'lit', v: '1', q: false }] });
        continue;
      }
      const op = m[2] as Redirect['op'];
      const fd = m[1] ? Number(m[1]) : op === '<' ? 0 : 1;
      out.push({ fd, op, target: target.word });
    }
  }

  function command(): Node {
    if (isWord('while') || isWord('until')) {
      const until = isWord('until');
      p++;
      const cond = list(['do']);
      expectWord('do');
      const body = list(['done']);
      expectWord('done');
      return { k: 'while', until, cond, body, redirs: redirects() };
    }
    if (isWord('for')) {
      p++;
      const t = toks[p++];
      if (!t || !('word' in t) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(t.raw)) throw new ShellSyntaxError(`syntax error: bad for loop variable`);
      let items: Word[] | null = null;
      skipNL();
      if (isWord('in')) {
        p++;
        items = [];
        for (let u = peek(); u && 'word' in u; u = peek()) {
          items.push(u.word);
          p++;
        }
      }
      if (isOp(';')) p++;
      skipNL();
      expectWord('do');
      const body = list(['done']);
      expectWord('done');
      return { k: 'for', name: t.raw, items, body, redirs: redirects() };
    }
    if (isWord('if')) {
      p++;
      const branches: Array<{ cond: Node; body: Node }> = [];
      let otherwise: Node | undefined;
      for (;;) {
        const cond = list(['then']);
        expectWord('then');
        const body = list(['elif', 'else', 'fi']);
        branches.push({ cond, body });
        if (isWord('elif')) {
          p++;
          continue;
        }
        if (isWord('else')) {
          p++;
          otherwise = list(['fi']);
        }
        expectWord('fi');
        break;
      }
      return { k: 'if', branches, ...(otherwise ? { otherwise } : {}), redirs: redirects() };
    }
    if (isWord('{')) {
      p++;
      const body = list(['}']);
      expectWord('}');
      return { k: 'group', body, subshell: false, redirs: redirects() };
    }
    if (isOp('(')) {
      p++;
      const body = list([]);
      if (!isOp(')')) throw new ShellSyntaxError(`syntax error: unexpected ${describe(peek())}`);
      p++;
      return { k: 'group', body, subshell: true, redirs: redirects() };
    }
    const assigns: Array<{ name: string; value: Word }> = [];
    const words: Word[] = [];
    const redirs: Redirect[] = [];
    for (;;) {
      redirs.push(...redirects());
      const t = peek();
      if (!t || !('word' in t)) break;
      if (words.length === 0 && RESERVED.has(t.raw) && t.raw !== '{' && t.raw !== '}' && t.raw !== '!') {
        throw new ShellSyntaxError(`syntax error: unexpected "${t.raw}"`);
      }
      if (words.length === 0 && t.raw === '}') break;
      const am = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(t.raw);
      const lit0 = t.word[0];
      if (words.length === 0 && am && lit0?.t === 'lit' && !lit0.q && lit0.v.startsWith(am[0])) {
        const value: Word = [{ ...lit0, v: lit0.v.slice(am[0].length) }, ...t.word.slice(1)];
        assigns.push({ name: am[1]!, value });
      } else words.push(t.word);
      p++;
    }
    if (!words.length && !assigns.length && !redirs.length) throw new ShellSyntaxError(`syntax error: unexpected ${describe(peek())}`);
    return { k: 'simple', assigns, words, redirs };
  }

  const root = list([]);
  if (p < toks.length) throw new ShellSyntaxError(`syntax error: unexpected ${describe(peek())}`);
  return root;
}
