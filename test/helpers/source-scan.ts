// Reads src/ with the TypeScript parser, for tests that hold the code to a
// rule (where TASKLOAF_* variables are read, which errors are thrown, which
// codes exist). Parsing, not grepping: comments and look-alike text in
// strings do not count.
import ts from 'typescript';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** Every .ts file under src/, as paths relative to the repository (`src/arena/arena.ts`). */
export function sourceFiles(dir = join(root, 'src')): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.name.endsWith('.ts')) out.push(relative(root, p));
  }
  return out.sort();
}

export interface Site {
  file: string;
  line: number;
  /** What was found: a variable name, an error constructor, a code. */
  what: string;
}

function walk(file: string, visit: (node: ts.Node, sf: ts.SourceFile) => string | null): Site[] {
  const sf = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const sites: Site[] = [];
  const go = (node: ts.Node) => {
    const what = visit(node, sf);
    if (what) sites.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, what });
    ts.forEachChild(node, go);
  };
  go(sf);
  return sites;
}

function isWrite(node: ts.Node): boolean {
  const p = node.parent;
  if (ts.isDeleteExpression(p)) return true;
  return ts.isBinaryExpression(p) && p.left === node && p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && p.operatorToken.kind <= ts.SyntaxKind.LastAssignment && p.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionEqualsToken;
}

/** Reads of a TASKLOAF_* property (`env.TASKLOAF_X`, `env['TASKLOAF_X']`, `{ TASKLOAF_X } = env`); writes for a child's environment do not count. */
export function envReads(file: string): Site[] {
  return walk(file, (node) => {
    let name: string | undefined;
    if (ts.isPropertyAccessExpression(node)) name = node.name.text;
    else if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) name = node.argumentExpression.text;
    else if (ts.isBindingElement(node)) name = (node.propertyName ?? node.name).getText();
    if (!name?.startsWith('TASKLOAF_') || isWrite(node)) return null;
    return name;
  });
}

const PLAIN = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError']);

/**
 * Errors without a code: `new TypeError(` / `new RangeError(`... anywhere,
 * and `new Error(` when thrown or rejected with (a plain Error built to
 * rebuild a user's error that came over the wire is not one of ours).
 */
export function plainErrors(file: string): Site[] {
  return walk(file, (node) => {
    if (!ts.isNewExpression(node) || !ts.isIdentifier(node.expression) || !PLAIN.has(node.expression.text)) return null;
    const cls = node.expression.text;
    if (cls !== 'Error') return cls;
    const p = node.parent;
    if (ts.isThrowStatement(p)) return cls;
    if (ts.isCallExpression(p) && /(^|\.)reject$/.test(p.expression.getText())) return cls;
    return null;
  });
}

/** String literals that are error codes (`'ERR_X'`). */
export function codeLiterals(file: string): Site[] {
  return walk(file, (node) => (ts.isStringLiteralLike(node) && /^ERR_[A-Z0-9_]+$/.test(node.text) ? node.text : null));
}
