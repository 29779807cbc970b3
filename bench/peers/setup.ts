// The peers' own setup: Dask distributed and mpi4py come from Debian's
// packages (python3-distributed, python3-mpi4py) and piscina from npm (a dev
// dependency). Installs what is missing as root on Debian; anywhere else says
// what to install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { python } from '../lib/launch.js';

const PACKAGES: Record<string, string> = { distributed: 'python3-distributed', mpi4py: 'python3-mpi4py' };

function importable(module: string): boolean {
  return existsSync(python) && spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

function apt(args: string[]): void {
  const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (status ${r.status})`);
}

/** Makes sure Debian's python3 can import Dask distributed and mpi4py. */
export function ensurePythonPeers(): void {
  const missing = Object.keys(PACKAGES).filter((m) => !importable(m));
  if (missing.length === 0) return;
  const pkgs = missing.map((m) => PACKAGES[m]!);
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !existsSync('/etc/debian_version')) {
    throw new Error(`the peers need ${pkgs.join(' and ')} for ${python}: install them (apt-get install ${pkgs.join(' ')}) or run the benchmark as root on Debian`);
  }
  process.stderr.write(`bench: installing ${pkgs.join(', ')}\n`);
  const install = ['install', '-y', '-qq', '--no-install-recommends', ...pkgs];
  if (spawnSync('apt-get', install, { stdio: 'ignore' }).status !== 0) {
    apt(['update', '-qq']);
    apt(install);
  }
  const still = missing.filter((m) => !importable(m));
  if (still.length) throw new Error(`${python} still cannot import ${still.join(', ')} after installing ${pkgs.join(', ')}`);
}
