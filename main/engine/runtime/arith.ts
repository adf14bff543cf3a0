// $(( )) arithmetic: integers, variables, the usual C operators and assignment.

// binary operators by precedence, loosest first
const BIN: string[][] = [['||'], ['&&'], ['==', '!='], ['<=', '>=', '<', '>'], ['+', '-'], ['*', '/', '%']];

function apply(op: string, a: number, b: number): number {
  switch (op) {
    case '||': return +(a !== 0 || b !== 0);
    case '&&': return +(a !== 0 && b !== 0);
    case '==': return +(a === b);
    case '!=': return +(a !== b);
    case '<=': return +(a <= b);
    case '>=': return +(a >= b);
    case '<': return +(a < b);
    case '>': return +(a > b);
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/':
      if (b === 0) throw new Error('division by zero');
      return Math.trunc(a / b);
    case '%':
      if (b === 0) throw new Error('division by zero');
      return a % b;
  }
  throw new Error(`bad operator ${op}`);
}

export function arith(src: string, get: (name: string) => string, set: (name: string, v: string) => void): number {
  const toks = src.match(/\d+|[A-Za-z_][A-Za-z0-9_]*|\+\+|--|\+=|-=|\*=|\/=|==|!=|<=|>=|&&|\|\||[-+*/%()<>!=]/g) ?? [];
  let p = 0;
  const num = (name: string) => {
    const v = get(name).trim();
    return v === '' ? 0 : Number.parseInt(v, 10) || 0;
  };
  function primary(): number {
    const t = toks[p++];
    if (t === undefined) throw new Error('syntax error');
    if (t === '(') {
      const v = expr();
      p++;
      return v;
    }
    if (t === '-') return -primary();
    if (t === '+') return primary();
    if (t === '!') return +(primary() === 0);
    if (/^\d/.test(t)) return Number(t);
    if (t === '++' || t === '--') {
      const name = toks[p++]!;
      const v = num(name) + (t === '++' ? 1 : -1);
      set(name, String(v));
      return v;
    }
    const nx = toks[p];
    if (nx === '=' || nx === '+=' || nx === '-=' || nx === '*=' || nx === '/=') {
      p++;
      const r = expr();
      const v = nx === '=' ? r : apply(nx[0]!, num(t), r);
      set(t, String(v));
      return v;
    }
    if (nx === '++' || nx === '--') {
      p++;
      const v = num(t);
      set(t, String(v + (nx === '++' ? 1 : -1)));
      return v;
    }
    return num(t);
  }
  function level(i: number): number {
    if (i >= BIN.length) return primary();
    let a = level(i + 1);
    while (toks[p] !== undefined && BIN[i]!.includes(toks[p]!)) {
      const op = toks[p++]!;
      a = apply(op, a, level(i + 1));
    }
    return a;
  }
  function expr(): number {
    return level(0);
  }
  return toks.length ? expr() : 0;
}
