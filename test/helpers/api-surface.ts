// What src/index.ts exports, read by the TypeScript checker: each name with
// its kind and, for classes, interfaces and objects, its public members. A
// refactor that moves code must leave this unchanged.
import ts from 'typescript';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../../src/index.ts', import.meta.url));

function kindOf(sym: ts.Symbol): string {
  const f = sym.flags;
  if (f & ts.SymbolFlags.Class) return 'class';
  if (f & ts.SymbolFlags.Function) return 'function';
  if (f & ts.SymbolFlags.Interface) return 'interface';
  if (f & ts.SymbolFlags.TypeAlias) return 'type';
  if (f & ts.SymbolFlags.ValueModule) return 'namespace';
  if (f & ts.SymbolFlags.Variable) return 'const';
  return `flags ${f}`;
}

export function apiSurface(): Record<string, string> {
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022, strict: true, skipLibCheck: true, noEmit: true,
    allowImportingTsExtensions: true, lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts'], types: ['node'],
  });
  const checker = program.getTypeChecker();
  const mod = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  const out: Record<string, string> = {};
  for (const exp of checker.getExportsOfModule(mod)) {
    const sym = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
    const kind = kindOf(sym);
    let members: string[] = [];
    if (kind === 'namespace') {
      members = checker.getExportsOfModule(sym).map((s) => s.name);
    } else if (kind === 'class' || kind === 'interface' || kind === 'const') {
      const type = kind === 'const' ? checker.getTypeOfSymbol(sym) : checker.getDeclaredTypeOfSymbol(sym);
      members = checker.getPropertiesOfType(type)
        .filter((p) => !(ts.getCombinedModifierFlags(p.valueDeclaration ?? p.declarations![0]!) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)))
        .filter((p) => !p.name.startsWith('#') && !p.name.startsWith('__'))
        .map((p) => p.name);
      if (kind === 'class') {
        const base = checker.getDeclaredTypeOfSymbol(sym).getBaseTypes?.() ?? [];
        if (base.length) members.unshift(`extends ${base.map((b) => b.symbol?.name).join(',')}`);
      }
    } else if (kind === 'function') {
      const type = checker.getTypeOfSymbol(sym);
      members = type.getCallSignatures().map((s) => `(${s.getParameters().map((p) => p.name).join(', ')})`);
    }
    out[exp.name] = members.length ? `${kind}: ${members.sort().join(' ')}` : kind;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
