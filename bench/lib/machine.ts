// A description of the machine a benchmark ran on, stored with its results.
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, hostname, release, totalmem } from 'node:os';
import { addon } from '../../src/native/addon.js';

export interface Machine {
  host: string;
  cpuModel: string;
  cores: number;
  numaNodes: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  mpi: string;
  date: string;
}

function numaNodes(): number {
  try {
    return readdirSync('/sys/devices/system/node').filter((d) => /^node\d+$/.test(d)).length || 1;
  } catch {
    return 1;
  }
}

export function machine(): Machine {
  let model = cpus()[0]?.model ?? 'unknown';
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.+)/);
    if (m) model = m[1]!.trim();
  } catch {
    /* keep os.cpus() */
  }
  return {
    host: hostname(),
    cpuModel: model,
    cores: availableParallelism(),
    numaNodes: numaNodes(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    mpi: addon().libraryVersion().library.split('\n')[0]!.trim(),
    date: new Date().toISOString(),
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
