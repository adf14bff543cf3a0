// Age formatting as apimachinery's util/duration prints it. The server computes every age cell
// itself (kubectl prints cells verbatim), so these must agree with upstream to the character.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Go's int(x) conversion truncates toward zero; `|| 0` folds -0 into 0 for printing. */
const trunc = (x: number): number => Math.trunc(x) || 0;

/**
 * duration.HumanDuration: two significant units while the smaller one still matters
 * (`9m59s`, `7h59m`, `7d23h`, `2y30d`), one unit otherwise. Up to 2s in the future still
 * reads as "now" to tolerate clock skew; anything further is `<invalid>`.
 */
export function humanDuration(ms: number): string {
  const seconds = trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const dy = days % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/** duration.ShortHumanDuration: always one unit (`kubectl events` uses it; the server printers do not). */
export function shortHumanDuration(ms: number): string {
  const seconds = trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = trunc(ms / MINUTE);
  if (minutes < 60) return `${minutes}m`;
  const hours = trunc(ms / HOUR);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${trunc(hours / 24)}d`;
  return `${trunc(hours / 24 / 365)}y`;
}

/** Go's zero time.Time, which metav1.Time serialises as this string when it is not null. */
const GO_ZERO_MS = Date.parse('0001-01-01T00:00:00Z');

/**
 * Parses a metav1.Time / MicroTime JSON value. Returns undefined for what Go would treat as the
 * zero time: absent, null, empty, unparsable, or 0001-01-01T00:00:00Z.
 */
export function parseTime(ts: unknown): number | undefined {
  if (typeof ts !== 'string' || ts === '') return undefined;
  const ms = Date.parse(ts);
  if (Number.isNaN(ms) || ms <= GO_ZERO_MS) return undefined;
  return ms;
}

/** translateTimestampSince (and its MicroTime twin): the age of a timestamp, `<unknown>` when zero. */
export function translateTimestampSince(ts: unknown, now: number): string {
  const ms = parseTime(ts);
  return ms === undefined ? '<unknown>' : humanDuration(now - ms);
}
