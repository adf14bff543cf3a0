// The standard 5-field cron schedule CronJobs use (minute hour day-of-month month day-of-week), with
// the @descriptors, parsed with the same rules and error words as the parser upstream relies on
// (robfig/cron v3 ParseStandard), and evaluated in UTC or an IANA time zone.

export interface Schedule {
  minute: Set<number>;
  hour: Set<number>;
  dom: Set<number>;
  month: Set<number>;
  dow: Set<number>;
  /** day-of-month or day-of-week given as '*' / '?': then both must match, otherwise either */
  domStar: boolean;
  dowStar: boolean;
}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const FIELDS: Bounds[] = [{ min: 0, max: 59 }, { min: 0, max: 23 }, { min: 1, max: 31 }, { min: 1, max: 12, names: MONTHS }, { min: 0, max: 6, names: DAYS }];

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

function parseInt10(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error(`failed to parse int from ${s}: strconv.Atoi: parsing "${s}": invalid syntax`);
  return Number(s);
}

function value(s: string, b: Bounds): number {
  const named = b.names?.[s.toLowerCase()];
  return named !== undefined ? named : parseInt10(s);
}

function parseRange(expr: string, b: Bounds): { set: number[]; star: boolean } {
  const [rangePart, stepPart, extra] = expr.split('/');
  if (extra !== undefined) throw new Error(`too many slashes: ${expr}`);
  const lowHigh = rangePart!.split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowHigh[0] === '*' || lowHigh[0] === '?') {
    start = b.min;
    end = b.max;
    star = true;
  } else {
    start = value(lowHigh[0]!, b);
    if (lowHigh.length === 1) end = start;
    else if (lowHigh.length === 2) end = value(lowHigh[1]!, b);
    else throw new Error(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (stepPart !== undefined) {
    step = parseInt10(stepPart);
    // "N/step" means N through the maximum
    if (lowHigh.length === 1 && !star) end = b.max;
    if (step > 1) star = false;
  }
  if (start < b.min) throw new Error(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new Error(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
  const set: number[] = [];
  for (let v = start; v <= end; v += step) set.push(v);
  return { set, star };
}

function parseField(field: string, b: Bounds): { set: Set<number>; star: boolean } {
  const out = new Set<number>();
  let star = false;
  for (const part of field.split(',')) {
    const r = parseRange(part, b);
    r.set.forEach((v) => out.add(v));
    star ||= r.star;
  }
  return { set: out, star };
}

/** Parse a schedule; throws Error with the parser's wording. */
export function parseSchedule(spec: string): Schedule {
  let text = spec.trim();
  if (text.startsWith('@')) {
    const d = DESCRIPTORS[text.toLowerCase()];
    if (!d) throw new Error(`unrecognized descriptor: ${text}`);
    text = d;
  }
  const fields = text.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const [mi, h, dom, mo, dow] = fields.map((f, i) => parseField(f, FIELDS[i]!));
  return { minute: mi!.set, hour: h!.set, dom: dom!.set, month: mo!.set, dow: dow!.set, domStar: dom!.star, dowStar: dow!.star };
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(ms: number, tz: string | undefined): Wall {
  if (!tz || tz === 'UTC' || tz === 'Etc/UTC') {
    const d = new Date(ms);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
  }
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(tz, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(ms)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! % 24, minute: parts.minute! };
}

/** Whether a zone name is known (what the API checks for spec.timeZone). */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function matchesDay(s: Schedule, w: Wall): boolean {
  const dow = new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
  const domOk = s.dom.has(w.day);
  const dowOk = s.dow.has(dow);
  return s.domStar || s.dowStar ? domOk && dowOk : domOk || dowOk;
}

const MINUTE = 60_000;

/**
 * The first activation strictly after `after` (ms), or undefined within ~5 years (an impossible
 * schedule such as Feb 30th). Skips whole hours/days that cannot match so sparse schedules stay cheap.
 */
export function nextAfter(s: Schedule, after: number, tz?: string): number | undefined {
  let t = Math.floor(after / MINUTE) * MINUTE + MINUTE;
  const limit = after + 5 * 366 * 24 * 60 * MINUTE;
  while (t <= limit) {
    const w = wallClock(t, tz);
    if (!s.month.has(w.month) || !matchesDay(s, w)) {
      t += (24 * 60 - w.hour * 60 - w.minute) * MINUTE; // next local midnight (DST shifts are re-read next turn)
      continue;
    }
    if (!s.hour.has(w.hour)) {
      t += (60 - w.minute) * MINUTE;
      continue;
    }
    if (!s.minute.has(w.minute)) {
      t += MINUTE;
      continue;
    }
    return t;
  }
  return undefined;
}

/** Activation times in (from, to], oldest first, at most `max` + 1 (so callers can tell "too many"). */
export function activationsBetween(s: Schedule, from: number, to: number, tz?: string, max = 100): number[] {
  const out: number[] = [];
  for (let t = nextAfter(s, from, tz); t !== undefined && t <= to; t = nextAfter(s, t, tz)) {
    out.push(t);
    if (out.length > max) break;
  }
  return out;
}

/** mostRecentScheduleTime: the latest activation in (from, to] and how many there were (capped). */
export function mostRecent(s: Schedule, from: number, to: number, tz?: string): { time?: number; missed: number } {
  let time: number | undefined;
  let missed = 0;
  for (let t = nextAfter(s, from, tz); t !== undefined && t <= to && missed < 100_000; t = nextAfter(s, t, tz)) {
    time = t;
    missed++;
  }
  return { time, missed };
}
