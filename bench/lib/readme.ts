// Rewrites the part of bench/README.md between a benchmark's markers.
import { readFileSync, writeFileSync } from 'node:fs';

export function replaceSection(file: string, name: string, body: string): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const text = readFileSync(file, 'utf8');
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${file} has no ${start} ... ${end} section`);
  writeFileSync(file, text.slice(0, i + start.length) + '\n' + body.trim() + '\n' + text.slice(j));
}
