// What this process may run on, as the kernel sees it.
import { readFileSync } from 'node:fs';

/** Parses a kernel CPU list such as `0-3,8,10-11`. */
export function parseCpuList(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list.trim().split(',')) {
    if (!part) continue;
    const [a, b] = part.split('-').map(Number);
    if (!Number.isInteger(a)) continue;
    for (let c = a!; c <= (Number.isInteger(b) ? b! : a!); c++) cpus.push(c);
  }
  return cpus;
}

/** The CPUs this process is allowed on (`Cpus_allowed_list` in /proc/self/status). */
export function allowedCpus(): number[] {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const line = status.split('\n').find((l) => l.startsWith('Cpus_allowed_list:'));
    return line ? parseCpuList(line.split(':')[1] ?? '') : [];
  } catch {
    return [];
  }
}
