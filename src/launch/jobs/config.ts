// Defaults for job options from a config file, with profiles per cluster:
//
//   { "defaults": { "account": "proj1" },
//     "profile": "big",
//     "profiles": { "big": { "scheduler": "pbs", "dialect": "torque", "module": ["openmpi"] } } }
//
// Keys are the long option names (`ntasks-per-node`). Command-line options win
// over the profile, the profile over `defaults`. Found from --config,
// TASKLOAF_CONFIG, the nearest taskloaf.config.json up from the working
// directory to the repository's root or the home directory, or
// $XDG_CONFIG_HOME/taskloaf/config.json; whichever it is, config-trust.ts
// checks it before it is read.
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { OptionError } from '../../errors.js';
import { readEnv } from '../../env.js';
import { readTrusted, type ConfigOrigin } from './config-trust.js';
import { OPTION_FLAGS, type JobOptions, type OptionSources } from './spec.js';

export const CONFIG_NAME = 'taskloaf.config.json';

const KEYS = new Map<string, keyof JobOptions>(
  (Object.entries(OPTION_FLAGS) as [keyof JobOptions, string][]).map(([k, flag]) => [flag.slice(2), k]),
);
// The repeatable options take lists in the file; `run-option` is `runOptions`.
const LISTS = new Set<keyof JobOptions>(['env', 'module', 'setup', 'directive', 'dependency', 'mailType', 'runOptions']);
const NUMBERS = new Set<keyof JobOptions>(['nodes', 'ntasksPerNode', 'cpusPerTask', 'gpus']);
const BOOLEANS = new Set<keyof JobOptions>(['exclusive', 'requeueOnTimeout']);

export interface FoundConfig {
  file: string;
  origin: ConfigOrigin;
}

/** The config file to read, or null when there is none. */
export function findConfig(explicit?: string, cwd = process.cwd(), env = process.env): string | null {
  return locateConfig(explicit, cwd, env)?.file ?? null;
}

/** The config file to read and how it was found, or null when there is none. */
export function locateConfig(explicit?: string, cwd = process.cwd(), env = process.env): FoundConfig | null {
  if (explicit !== undefined) {
    const p = resolve(cwd, explicit);
    if (!existsSync(p)) throw new OptionError('--config', `${explicit} does not exist`);
    return { file: p, origin: '--config' };
  }
  const fromEnv = readEnv('TASKLOAF_CONFIG', env, cwd);
  if (fromEnv !== null) return { file: fromEnv, origin: 'TASKLOAF_CONFIG' };
  const home = env.HOME || homedir();
  const stops = new Set([resolve(home), real(home)]);
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, CONFIG_NAME))) return { file: join(dir, CONFIG_NAME), origin: 'taskloaf.config.json' };
    // Above the repository's root (.git: a directory, or a file in a worktree)
    // and the home directory lie directories other users share: /tmp, /scratch.
    if (existsSync(join(dir, '.git')) || stops.has(dir) || dirname(dir) === dir) break;
  }
  const user = join(env.XDG_CONFIG_HOME || join(home, '.config'), 'taskloaf', 'config.json');
  return existsSync(user) ? { file: user, origin: 'user config' } : null;
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function section(value: unknown, where: string, file: string): JobOptions {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OptionError(where, 'must be an object of option names and values', file);
  }
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) {
    const key = KEYS.get(name);
    if (!key) throw new OptionError(`${where}.${name}`, `is not a job option; known: ${[...KEYS.keys()].join(', ')}`, file);
    const ok = LISTS.has(key)
      ? Array.isArray(v) && v.every((x) => typeof x === 'string')
      : NUMBERS.has(key)
        ? typeof v === 'number'
        : BOOLEANS.has(key)
          ? typeof v === 'boolean'
          : typeof v === 'string';
    if (!ok) {
      const want = LISTS.has(key) ? 'a list of strings' : NUMBERS.has(key) ? 'a number' : BOOLEANS.has(key) ? 'true or false' : 'a string';
      throw new OptionError(`${where}.${name}`, `must be ${want}, got ${JSON.stringify(v)}`, file);
    }
    out[key] = v;
  }
  return out as JobOptions;
}

export interface LoadedConfig {
  options: JobOptions;
  sources: OptionSources;
  file: string | null;
  profile: string | null;
}

/** Reads the config file (refused unless this user may trust it) and picks the profile (`--profile`, else the file's `profile`). */
export function loadConfig(file: string | null, profile?: string, origin: ConfigOrigin = '--config'): LoadedConfig {
  if (file === null) {
    if (profile !== undefined) throw new OptionError('--profile', `there is no config file to take profile ${JSON.stringify(profile)} from`);
    return { options: {}, sources: {}, file: null, profile: null };
  }
  const text = readTrusted(file, origin);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new OptionError(origin, `cannot read ${file}: ${(e as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new OptionError('--config', `${file} must hold a JSON object`);
  const top = data as Record<string, unknown>;
  for (const k of Object.keys(top)) {
    if (!['defaults', 'profiles', 'profile'].includes(k)) throw new OptionError(k, 'is not a config key; use defaults, profiles and profile', file);
  }
  const defaults = top.defaults === undefined ? {} : section(top.defaults, 'defaults', file);
  const profiles = top.profiles ?? {};
  if (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles)) throw new OptionError('profiles', 'must be an object of named profiles', file);
  const chosen = profile ?? (typeof top.profile === 'string' ? top.profile : undefined);
  if (top.profile !== undefined && typeof top.profile !== 'string') throw new OptionError('profile', 'must be a profile name', file);
  let picked: JobOptions = {};
  if (chosen !== undefined) {
    const p = (profiles as Record<string, unknown>)[chosen];
    if (p === undefined) {
      throw new OptionError('--profile', `${JSON.stringify(chosen)} is not a profile in ${file}; it has: ${Object.keys(profiles).join(', ') || 'none'}`);
    }
    picked = section(p, `profiles.${chosen}`, file);
  }
  const sources: OptionSources = {};
  for (const k of Object.keys(defaults) as (keyof JobOptions)[]) sources[k] = `${file} defaults`;
  for (const k of Object.keys(picked) as (keyof JobOptions)[]) sources[k] = `${file} profile ${chosen}`;
  return { options: { ...defaults, ...picked }, sources, file, profile: chosen ?? null };
}

/** Command-line options over config options; sources follow whichever won. */
export function mergeOptions(config: LoadedConfig, cli: JobOptions): { options: JobOptions; sources: OptionSources } {
  const options: JobOptions = { ...config.options };
  const sources: OptionSources = { ...config.sources };
  for (const [k, v] of Object.entries(cli) as [keyof JobOptions, unknown][]) {
    if (v === undefined) continue;
    (options as Record<string, unknown>)[k] = v;
    sources[k] = 'command line';
  }
  return { options, sources };
}
