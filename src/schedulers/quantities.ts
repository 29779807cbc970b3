// Walltime and memory: parsed once into seconds and bytes here, written out in
// each scheduler's own form by its folder (slurm/quantities.ts, pbs/quantities.ts). Bare numbers are refused: Slurm reads `--time=90` as
// minutes and `--mem=4` as megabytes, PBS reads `walltime=90` as seconds and
// `mem=4` as bytes, so a number without a unit means different things.
import { OptionError } from '../errors.js';

const UNIT_SECONDS: Record<string, number> = {
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  d: 86400, day: 86400, days: 86400,
};

/**
 * Walltime in seconds from `HH:MM:SS`, `D-HH:MM:SS`, `D-HH:MM`, `D-HH` or a sum of
 * numbers with units (`90m`, `2h`, `1h30m`, `1.5h`); `UNLIMITED` (Infinity) where
 * `unlimited` allows it.
 */
export function parseWalltime(text: string, option = '--time', source?: string, unlimited = false): number {
  const fail = (why: string): never => {
    throw new OptionError(option, `${JSON.stringify(text)} ${why}`, source);
  };
  const s = text.trim();
  if (s === '') fail('is empty; write HH:MM:SS, D-HH:MM:SS or a number with a unit (90m, 2h)');
  // Slurm's own word for no limit (INFINITE is its synonym); the scheduler may refuse it.
  if (/^(unlimited|infinite)$/i.test(s)) {
    if (!unlimited) fail('is not a length of time here');
    return Number.POSITIVE_INFINITY;
  }
  // Slurm's D-HH: days and hours.
  const dayHours = /^(\d+)-(\d+)$/.exec(s);
  if (dayHours) {
    if (Number(dayHours[2]) > 23) fail(`has ${dayHours[2]} hours after the day count; hours go up to 23 there`);
    const seconds = Number(dayHours[1]) * 86400 + Number(dayHours[2]) * 3600;
    if (!Number.isSafeInteger(seconds)) fail('is too long');
    if (seconds <= 0) fail('must be longer than zero');
    return seconds;
  }
  if (/^\d+(\.\d+)?$/.test(s)) {
    fail('is ambiguous: Slurm reads a bare number as minutes, PBS as seconds; write 90m, 2h or HH:MM:SS');
  }
  let seconds: number;
  const clock = /^(?:(\d+)-)?(\d+):(\d+)(?::(\d+))?$/.exec(s);
  if (clock) {
    const [, d, h, m, sec] = clock;
    // H:MM without days is Slurm's MM:SS but PBS's HH:MM: refused as ambiguous.
    if (sec === undefined && d === undefined) fail('is ambiguous (MM:SS or HH:MM?); write HH:MM:SS');
    if (Number(m) > 59) fail(`has ${m} minutes; minutes and seconds go up to 59`);
    if (sec !== undefined && Number(sec) > 59) fail(`has ${sec} seconds; minutes and seconds go up to 59`);
    if (d !== undefined && Number(h) > 23) fail(`has ${h} hours after the day count; hours go up to 23 there`);
    seconds = Number(d ?? 0) * 86400 + Number(h) * 3600 + Number(m) * 60 + Number(sec ?? 0);
  } else {
    const parts = [...s.matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)/gi)];
    if (parts.length === 0 || parts.map((p) => p[0]).join('').replace(/\s/g, '') !== s.replace(/\s/g, '')) {
      fail('is not a walltime; write HH:MM:SS, D-HH:MM:SS, D-HH or a number with a unit (90m, 2h, 1h30m)');
    }
    seconds = 0;
    for (const [, n, unit] of parts) {
      const scale = UNIT_SECONDS[unit!.toLowerCase()];
      if (scale === undefined) fail(`has an unknown unit '${unit}' (use s, m, h or d)`);
      seconds += Number(n) * scale!;
    }
    seconds = Math.ceil(seconds);
  }
  if (!Number.isSafeInteger(seconds)) fail('is too long');
  if (seconds <= 0) fail('must be longer than zero');
  return seconds;
}


const UNIT_BYTES: Record<string, number> = {
  k: 2 ** 10, kb: 2 ** 10, kib: 2 ** 10,
  m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20,
  g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30,
  t: 2 ** 40, tb: 2 ** 40, tib: 2 ** 40,
};

/**
 * Memory in bytes from a number with a unit: `512M`, `4G`, `4GB`, `4GiB`,
 * `1.5T`. Units are powers of 1024, as both Slurm and PBS read them.
 */
export function parseMemory(text: string, option = '--mem', source?: string): number {
  const fail = (why: string): never => {
    throw new OptionError(option, `${JSON.stringify(text)} ${why}`, source);
  };
  const s = text.trim();
  const m = /^(-?\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(s);
  if (!m) fail('is not an amount of memory; write a number with a unit such as 512M or 4G');
  const [, n, unit] = m!;
  if (Number(n) < 0) fail('is negative');
  if (unit === '') fail('has no unit: Slurm reads a bare number as megabytes, PBS as bytes; write 512M or 4G');
  const scale = UNIT_BYTES[unit!.toLowerCase()];
  if (scale === undefined) fail(`has an unknown unit '${unit}' (use K, M, G or T)`);
  const bytes = Math.ceil(Number(n) * scale!);
  if (bytes <= 0) fail('must be more than zero');
  if (!Number.isSafeInteger(bytes)) fail('is too large');
  return bytes;
}

/** Whole mebibytes, rounded up: both schedulers take `<n>M` / `<n>mb`. */
export function mebibytes(bytes: number): number {
  return Math.ceil(bytes / 2 ** 20);
}
