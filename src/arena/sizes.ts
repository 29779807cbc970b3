// Arena sizes from options or the environment, with units.
import { totalmem } from 'node:os';
import { InvalidArgumentError } from '../errors.js';

const UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 2 ** 10, kb: 1e3, kib: 2 ** 10,
  m: 2 ** 20, mb: 1e6, mib: 2 ** 20,
  g: 2 ** 30, gb: 1e9, gib: 2 ** 30,
  t: 2 ** 40, tb: 1e12, tib: 2 ** 40,
};

/** Parses `4096`, `64MiB`, `1.5G`, `512 kb` into bytes; `where` names the source in errors. */
export function parseBytes(text: string, where: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    throw new InvalidArgumentError('ERR_INVALID_ARG_VALUE', `${where}: '${text}' is not a size (examples: 4096, 64MiB, 2G)`);
  }
  const bytes = Math.floor(Number(m[1]) * unit);
  if (!Number.isSafeInteger(bytes) || bytes < 4096) {
    throw new InvalidArgumentError('ERR_INVALID_ARG_VALUE', `${where}: '${text}' must be at least 4 KiB`);
  }
  return bytes;
}

export interface ArenaSizes {
  segmentBytes: number;
  limitBytes: number;
}

/**
 * Options first, then TASKLOAF_ARENA_SEGMENT / TASKLOAF_ARENA_LIMIT, then
 * defaults: 64 MiB segments; a limit of half the node's memory shared by its
 * ranks (at least one segment).
 */
export function arenaSizes(
  opts: Partial<ArenaSizes> & { localSize?: number } = {},
  env: NodeJS.ProcessEnv = process.env,
  nodeBytes: number = totalmem(),
): ArenaSizes {
  const segmentBytes =
    opts.segmentBytes ?? (env.TASKLOAF_ARENA_SEGMENT ? parseBytes(env.TASKLOAF_ARENA_SEGMENT, 'TASKLOAF_ARENA_SEGMENT') : 64 * 2 ** 20);
  const share = Math.floor(nodeBytes / 2 / Math.max(1, opts.localSize ?? 1));
  const limitBytes =
    opts.limitBytes ?? (env.TASKLOAF_ARENA_LIMIT ? parseBytes(env.TASKLOAF_ARENA_LIMIT, 'TASKLOAF_ARENA_LIMIT') : Math.max(segmentBytes, share));
  return { segmentBytes, limitBytes };
}
