// Whether a process still runs (a zombie waiting for init to reap it runs
// nothing and holds nothing).
import { readFileSync } from 'node:fs';

export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
