// The text of a job's exit report: the error and its cause chain, each with
// the program's own stack frames only. A failed task's error arrives wrapped
// in a RemoteTaskError whose own frames are the runtime's receive path: the
// user's line is in the causes, so those are what the report shows.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// This package's root (abort.ts is <root>/src/native or <root>/dist/native).
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const own = [resolve(root, 'src') + sep, resolve(root, 'dist') + sep];
const ownUrls = own.map((p) => `file://${p}`);

const FRAME = /^\s+at /;

/** Whether a stack line is one of taskloaf's or node's own frames, not the program's. */
export function runtimeFrame(line: string): boolean {
  if (line.includes('node:internal') || line.includes(`${sep}node_modules${sep}tsx${sep}`)) return true;
  return own.some((p) => line.includes(p)) || ownUrls.some((p) => line.includes(p));
}

interface Shown {
  head: string[];
  frames: string[];
  hidden: number;
}

/** The error's header lines and its frames, the runtime's taken out (all kept when none is the program's). */
function split(err: Error, dropOwnFrames: boolean): Shown {
  const stack = typeof err.stack === 'string' && err.stack.length > 0 ? err.stack : `${err.name}: ${err.message}`;
  const lines = stack.split('\n');
  let first = lines.findIndex((l) => FRAME.test(l));
  if (first < 0) first = lines.length;
  const head = lines.slice(0, first);
  const all = lines.slice(first).filter((l) => FRAME.test(l));
  if (dropOwnFrames) return { head, frames: [], hidden: all.length };
  const user = all.filter((l) => !runtimeFrame(l));
  // An error of the runtime's own making with no frame of the program: its frames are all there is.
  if (user.length === 0) return { head, frames: all, hidden: 0 };
  return { head, frames: user, hidden: all.length - user.length };
}

function isRemote(err: Error): boolean {
  return (err as { code?: unknown }).code === 'ERR_REMOTE_TASK' && err.cause instanceof Error;
}

/**
 * The report of `err`: its name and message, the program's frames, then each
 * cause indented under `[cause]:` as util.inspect prints them. A remote task
 * error's own frames (always the runtime's) are left out; its causes carry
 * the frames of the rank where the task threw.
 */
export function formatFailure(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const hint = moduleTypeHint(err);
  if (hint) return hint;
  const out: string[] = [];
  let hidden = 0;
  const seen = new Set<unknown>();
  let e: unknown = err;
  let depth = 0;
  while (e !== undefined && !seen.has(e) && depth < 32) {
    seen.add(e);
    const pad = '  '.repeat(depth);
    if (!(e instanceof Error)) {
      out.push(`${pad}[cause]: ${String(e)}`);
      break;
    }
    const code = (e as { code?: unknown }).code;
    const shown = split(e, isRemote(e));
    hidden += shown.hidden;
    const head = [...shown.head];
    if (typeof code === 'string' && head.length > 0 && !head[0]!.includes(`[${code}]`)) {
      head[0] = head[0]!.replace(/^([\w$.]+)(?=: |$)/, `$1 [${code}]`);
    }
    head.forEach((l, i) => out.push(`${pad}${depth > 0 && i === 0 ? '[cause]: ' : ''}${l}`));
    for (const f of shown.frames) out.push(`${pad}${f}`);
    e = e.cause;
    depth++;
  }
  if (hidden > 0) out.push(`(${hidden} frame${hidden === 1 ? '' : 's'} of taskloaf and node left out)`);
  return out.join('\n');
}

// Node's codes (not taskloaf's) when a package without "type": "module"
// holds an ES module (tsx compiles its .ts to CommonJS then).
const MODULE_TYPE_CODES = /^ERR_REQUIRE_(?:CYCLE_MODULE|ESM|ASYNC_MODULE)$/;

/** The package.json nearest above `file`, and whether it says "type": "module". */
function packageOf(file: string): { path: string; module: boolean } | null {
  let dir = dirname(file);
  for (;;) {
    const path = resolve(dir, 'package.json');
    if (existsSync(path)) {
      try {
        return { path, module: (JSON.parse(readFileSync(path, 'utf8')) as { type?: unknown }).type === 'module' };
      } catch {
        return null;
      }
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/**
 * One line saying what to add, when the script failed to load because its
 * package does not say "type": "module" (every rank fails the same way, and
 * node's stack is all its own loader).
 */
export function moduleTypeHint(err: unknown, script = process.argv[1]): string | null {
  if (!(err instanceof Error) || !script) return null;
  const code = (err as { code?: unknown }).code;
  const cjsSyntax = err instanceof SyntaxError && /Cannot use import statement outside a module|await is only valid/.test(err.message);
  if (!(typeof code === 'string' && MODULE_TYPE_CODES.test(code)) && !cjsSyntax) return null;
  if (/\.(?:mts|mjs|cts|cjs)$/.test(script)) return null;
  const pkg = packageOf(script);
  if (pkg?.module) return null;
  const where = pkg ? `add "type": "module" to ${pkg.path}` : `add a package.json with "type": "module" next to it`;
  return `${script} is an ES module but its package is CommonJS: ${where} (or name the script .mts or .mjs)${typeof code === 'string' ? ` [${code}]` : ''}`;
}
