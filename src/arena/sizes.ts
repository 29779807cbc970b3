// Arena sizes from options or the environment, with units.
import { totalmem } from 'node:os';
import { InvalidArgumentError } from '../errors.js';
import { readEnv, sizeIn, type Env } from '../env.js';

/** Parses `4096`, `64MiB`, `1.5G`, `512 kb` into bytes; `where` names the source in errors. */
export function parseBytes(text: string, where: string): number {
  const bytes = sizeIn(text);
  if (typeof bytes === 'number') return bytes;
  throw new InvalidArgumentError(
    'ERR_INVALID_ARG_VALUE',
    bytes.problem === 'not a size' ? `${where}: '${text}' is not a size (examples: 4096, 64MiB, 2G)` : `${where}: '${text}' must be at least 4 KiB`,
  );
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
  env: Env = process.env,
  nodeBytes: number = totalmem(),
): ArenaSizes {
  const segmentBytes = opts.segmentBytes ?? readEnv('TASKLOAF_ARENA_SEGMENT', env);
  const share = Math.floor(nodeBytes / 2 / Math.max(1, opts.localSize ?? 1));
  const limitBytes = opts.limitBytes ?? readEnv('TASKLOAF_ARENA_LIMIT', env) ?? Math.max(segmentBytes, share);
  return { segmentBytes, limitBytes };
}
