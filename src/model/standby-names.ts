// A parser for synchronous_standby_names that accepts exactly what PostgreSQL's
// syncrep_scanner.l / syncrep_gram.y accept, so rules can check the value before the server does.

export interface StandbyNames {
  /** FIRST waits for the n highest-priority standbys, ANY for any n of them. */
  method: 'FIRST' | 'ANY';
  num: number;
  /** The listed names as PostgreSQL sees them (quotes removed); `*` matches every standby. */
  names: string[];
}

export type StandbyNamesParse = { ok: true; value: StandbyNames | null } | { ok: false; error: string };

type Token = { type: 'num' | 'name' | 'any' | 'first' | '(' | ')' | ','; text: string };

const SPACE = /[ \t\n\r\f\v]/;
const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_CONT = /[A-Za-z_0-9$\u0080-\uffff]/;

function tokenize(input: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (SPACE.test(ch)) {
      i++;
    } else if (ch === '"') {
      let text = '';
      i++;
      for (;;) {
        if (i >= input.length) return 'unterminated quoted identifier';
        if (input[i] === '"') {
          if (input[i + 1] === '"') {
            text += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += input[i];
        i++;
      }
      tokens.push({ type: 'name', text });
    } else if (/[0-9]/.test(ch)) {
      let j = i;
      while (j < input.length && /[0-9]/.test(input[j] as string)) j++;
      tokens.push({ type: 'num', text: input.slice(i, j) });
      i = j;
    } else if (IDENT_START.test(ch)) {
      let j = i + 1;
      while (j < input.length && IDENT_CONT.test(input[j] as string)) j++;
      const text = input.slice(i, j);
      const keyword = text.toLowerCase();
      tokens.push({ type: keyword === 'any' ? 'any' : keyword === 'first' ? 'first' : 'name', text });
      i = j;
    } else if (ch === '*') {
      tokens.push({ type: 'name', text: '*' });
      i++;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ type: ch, text: ch });
      i++;
    } else {
      return `syntax error at or near "${ch}"`;
    }
  }
  return tokens;
}

/** Parses a synchronous_standby_names value; '' means no synchronous standbys. */
export function parseStandbyNames(input: string): StandbyNamesParse {
  if (input === '') return { ok: true, value: null };
  const tokens = tokenize(input);
  if (typeof tokens === 'string') return { ok: false, error: tokens };
  let pos = 0;
  const fail = (): StandbyNamesParse => {
    const tok = tokens[pos];
    return { ok: false, error: tok ? `syntax error at or near "${tok.text}"` : 'syntax error at end of input' };
  };
  const accept = (type: Token['type']): Token | null => (tokens[pos]?.type === type ? (tokens[pos++] as Token) : null);

  const parseList = (): string[] | null => {
    const names: string[] = [];
    for (;;) {
      const tok = accept('name') ?? accept('num');
      if (!tok) return null;
      names.push(tok.text);
      if (!accept(',')) return names;
    }
  };

  let method: StandbyNames['method'] = 'FIRST';
  let numText = '1';
  let names: string[] | null;
  const first = tokens[0];
  const wrapped = first?.type === 'any' || first?.type === 'first' || (first?.type === 'num' && tokens[1]?.type === '(');
  if (wrapped) {
    if (first?.type === 'any' || first?.type === 'first') {
      method = first.type === 'any' ? 'ANY' : 'FIRST';
      pos++;
    }
    const num = accept('num');
    if (!num) return fail();
    numText = num.text;
    if (!accept('(')) return fail();
    names = parseList();
    if (!names || !accept(')')) return fail();
  } else {
    names = parseList();
    if (!names) return fail();
  }
  if (pos < tokens.length) return fail();
  const num = Number.parseInt(numText, 10);
  if (num <= 0) return { ok: false, error: `number of synchronous standbys (${num}) must be greater than zero` };
  return { ok: true, value: { method, num, names } };
}

/** PostgreSQL compares standby names with application_name case-insensitively (pg_strcasecmp). */
export function standbyNameMatches(listed: string, applicationName: string): boolean {
  return listed === '*' || listed.toLowerCase() === applicationName.toLowerCase();
}
