// Fills a job-script template (the scheduler's shipped one: slurm/job.sh,
// pbs/pbspro.sh, pbs/torque.sh; or the user's own) from a checked JobSpec.
// Directive values were checked in spec.ts; everything in the script body is
// single-quoted here.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OptionError } from '../../errors.js';
import { directiveLines } from '../../schedulers/directives.js';
import { scheduler } from '../../schedulers/registry.js';
import type { LogPaths } from '../../schedulers/scheduler.js';
import { quote, quoteAll } from './shell.js';
import type { JobSpec } from './spec.js';

/** The package root: this file sits three levels down in src/ or dist/. */
export const packageRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The template shipped for a scheduler and dialect. */
export function templatePath(spec: Pick<JobSpec, 'scheduler' | 'dialect'>): string {
  return resolve(packageRoot, scheduler(spec.scheduler).template(spec.dialect));
}

export interface RenderOptions {
  /** A template file to use instead of the shipped one. */
  template?: string;
  /** The node binary and taskloaf CLI the job runs (default: these). */
  node?: string;
  cli?: string;
  /** Names this submission's files when the scheduler has no job-id pattern (PBS). */
  stamp: string;
}

/**
 * Where output goes unless --output/--error say otherwise: the scheduler's
 * default names in the log directory (with its job-id pattern, or the stamp).
 */
export function logPaths(spec: JobSpec, stamp: string): LogPaths {
  const { output, error } = scheduler(spec.scheduler).logPaths(spec, stamp);
  return { output: spec.output ?? output, error: spec.error ?? error };
}

/** The launch line: this node and this taskloaf, `run` inside the allocation. */
export function launchLine(spec: JobSpec, opts: Pick<RenderOptions, 'node' | 'cli'> = {}): string {
  const node = opts.node ?? process.execPath;
  const cli = opts.cli ?? join(packageRoot, 'dist', 'cli', 'main.js');
  if (spec.cli) return `exec ${quoteAll([node, cli, ...spec.cli])}`;
  return `exec ${quoteAll([node, cli, 'run', ...spec.runOptions, '--', spec.script, ...spec.args])}`;
}

function fill(template: string, fields: Record<string, string>, where: string): string {
  // `{{! ... }}` notes speak to whoever edits the template, not to the job.
  const out = template.replace(/\{\{![\s\S]*?\}\}[ \t]*\n?/g, '').replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const v = fields[name];
    if (v === undefined) throw new OptionError('--template', `${where} has an unknown field ${whole}; known: ${Object.keys(fields).map((f) => `{{${f}}}`).join(' ')}`);
    return v;
  });
  // Empty sections leave no blank runs behind.
  return out.replace(/\n{3,}/g, '\n\n');
}

/**
 * The directories a job's logs go to: they must exist before the job starts
 * (Slurm opens its output files first), whoever submits the script.
 */
export function logDirectories(spec: JobSpec, logs: LogPaths): string[] {
  return [...new Set([spec.logDir, dirname(logs.output), dirname(logs.error)])];
}

/** Creates the log directories; returns those that were not there. */
export function makeLogDirectories(spec: JobSpec, logs: LogPaths): string[] {
  return logDirectories(spec, logs).filter((d) => !existsSync(d) && (mkdirSync(d, { recursive: true }), true));
}

export interface Rendered {
  script: string;
  logs: LogPaths;
}

/** The job script for a spec. */
export function render(spec: JobSpec, opts: RenderOptions): Rendered {
  const path = opts.template ?? templatePath(spec);
  let template: string;
  try {
    template = readFileSync(path, 'utf8');
  } catch (e) {
    throw new OptionError('--template', `cannot read ${path}: ${(e as Error).message}`);
  }
  if (!template.includes('{{directives}}') || !template.includes('{{launch}}')) {
    throw new OptionError('--template', `${path} needs a {{directives}} and a {{launch}} field`);
  }
  const logs = logPaths(spec, opts.stamp);
  const environment = spec.env.map(([k, v]) => `export ${k}=${quote(v)}`);
  if (spec.requeueOnTimeout) environment.push('export TASKLOAF_REQUEUE=1  # requeue when the time-limit warning comes');
  const setup = [...spec.modules.map((m) => `module load ${quote(m)}`), ...spec.setup];
  const script = fill(
    template,
    {
      directives: directiveLines(spec, logs).join('\n'),
      environment: environment.join('\n'),
      setup: setup.join('\n'),
      workdir: quote(spec.workdir),
      launch: launchLine(spec, opts),
      name: spec.jobName,
      scheduler: spec.scheduler,
    },
    path,
  );
  return { script, logs };
}
