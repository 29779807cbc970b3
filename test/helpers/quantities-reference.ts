// Reference readings of walltime and memory for the option fuzz test, written
// apart from src/schedulers/quantities.ts as a character scanner over
// the documented forms: HH:MM:SS, D-HH:MM:SS, D-HH:MM, a sum of numbers with
// units (90m, 1h30m, 1.5h), and memory as one number with a binary unit.
// null where the input is not one of those forms.
const SECONDS: Record<string, number> = { s: 1, sec: 1, secs: 1, second: 1, seconds: 1, m: 60, min: 60, mins: 60, minute: 60, minutes: 60, h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600, d: 86400, day: 86400, days: 86400 };
const BYTES: Record<string, number> = { k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4 };

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isLetter = (c: string | undefined) => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);

/** Reads digits, then optionally '.' and digits, from `s` at `i`. */
function number(s: string, i: number): { value: number; end: number } | null {
  let j = i;
  while (isDigit(s[j])) j++;
  if (j === i) return null;
  if (s[j] === '.' && isDigit(s[j + 1])) {
    j++;
    while (isDigit(s[j])) j++;
  }
  return { value: Number(s.slice(i, j)), end: j };
}

function positiveSafe(x: number): number | null {
  return Number.isSafeInteger(x) && x > 0 ? x : null;
}

export function walltimeReference(text: string): number | null {
  const s = text.trim();
  if (s === '') return null;
  // Slurm's D-HH: digits, one '-', digits (hours up to 23); no ':' at all.
  if (/^[\d-]+$/.test(s) && !s.includes(':')) {
    const parts = s.split('-');
    if (parts.length !== 2 || parts.some((p) => p === '' || [...p].some((c) => !isDigit(c)))) return null;
    const [d, h] = parts.map(Number) as [number, number];
    if (h > 23) return null;
    return positiveSafe(d * 86400 + h * 3600);
  }
  // Clock forms: digit groups separated by ':' (and one leading 'D-').
  if (/^[\d:-]+$/.test(s) && s.includes(':')) {
    const dash = s.indexOf('-');
    const days = dash >= 0 ? s.slice(0, dash) : null;
    const fields = (dash >= 0 ? s.slice(dash + 1) : s).split(':');
    if (days !== null && (days === '' || [...days].some((c) => !isDigit(c)))) return null;
    if (fields.some((f) => f === '' || [...f].some((c) => !isDigit(c)))) return null;
    if (fields.length < 2 || fields.length > 3) return null;
    if (fields.length === 2 && days === null) return null; // MM:SS or HH:MM: ambiguous
    const [h, m, sec = '0'] = fields.map(Number) as [number, number, number?];
    if (m > 59 || (fields.length === 3 && Number(sec) > 59) || (days !== null && h > 23)) return null;
    return positiveSafe(Number(days ?? 0) * 86400 + h * 3600 + m * 60 + Number(sec));
  }
  // A sum of numbers with units, spaces allowed between and around the parts.
  let i = 0;
  let total = 0;
  let parts = 0;
  while (i < s.length) {
    while (isSpace(s[i])) i++;
    if (i >= s.length) break;
    const n = number(s, i);
    if (!n) return null;
    i = n.end;
    while (isSpace(s[i])) i++;
    const u0 = i;
    while (isLetter(s[i])) i++;
    const unit = s.slice(u0, i).toLowerCase();
    if (!(unit in SECONDS)) return null;
    total += n.value * SECONDS[unit]!;
    parts++;
  }
  return parts === 0 ? null : positiveSafe(Math.ceil(total));
}

export function memoryReference(text: string): number | null {
  const s = text.trim();
  let i = 0;
  if (s[i] === '-') return null;
  const n = number(s, i);
  if (!n) return null;
  i = n.end;
  while (isSpace(s[i])) i++;
  const unit = s.slice(i);
  if (![...unit].every(isLetter)) return null;
  const scale = BYTES[unit.toLowerCase()];
  if (scale === undefined) return null;
  return positiveSafe(Math.ceil(n.value * scale));
}
