/**
 * The house's measures, read from the source: lines per file, lines per function, and import cycles among the
 * project's own modules. `npm run house` prints them; tests/unit/house.test.ts holds the limits.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const SOURCE_DIRS = ['functions', 'infra', 'web/src'];

export function sourceFiles(root = ROOT): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === 'node_modules' || name.startsWith('.')) continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|svelte)$/.test(name) && !name.endsWith('.d.ts') && !name.endsWith('.test.ts')) out.push(relative(root, path));
    }
  };
  for (const d of SOURCE_DIRS) walk(join(root, d));
  return out.sort();
}

export const lineCount = (text: string): number => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/** The script of a Svelte component (its `<script>` blocks), or the whole file for TypeScript. */
function scriptOf(file: string, text: string): string {
  if (!file.endsWith('.svelte')) return text;
  return [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

export interface FunctionSize { file: string; name: string; line: number; lines: number }

export function functionSizes(file: string, text: string): FunctionSize[] {
  const src = ts.createSourceFile(file, scriptOf(file, text), ts.ScriptTarget.Latest, true);
  const out: FunctionSize[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
      const start = src.getLineAndCharacterOfPosition(node.getStart(src)).line;
      const end = src.getLineAndCharacterOfPosition(node.getEnd()).line;
      let name = '(anonymous)';
      if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name) name = node.name.getText(src);
      else if (ts.isVariableDeclaration(node.parent)) name = node.parent.name.getText(src);
      else if (ts.isPropertyAssignment(node.parent)) name = node.parent.name.getText(src);
      else if (ts.isCallExpression(node.parent)) name = `${node.parent.expression.getText(src).slice(0, 40)}(…)`;
      out.push({ file, name, line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
  return out;
}

/** Relative imports (type-only included: a cycle of types is still a knot to untie) resolved to project files. */
export function importsOf(file: string, text: string, root = ROOT): string[] {
  const src = ts.createSourceFile(file, scriptOf(file, text), ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  for (const st of src.statements) {
    const spec = (ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
    if (!spec || !spec.startsWith('.')) continue;
    out.push(relative(root, resolve(root, dirname(file), spec)));
  }
  return out;
}

/** Strongly connected components of more than one module (Tarjan). */
export function importCycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) { strong(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) strong(v);
  return out;
}

export interface HouseMeasures {
  files: { file: string; lines: number }[];
  functions: FunctionSize[];
  graph: Map<string, string[]>;
  cycles: string[][];
}

export function measureHouse(root = ROOT): HouseMeasures {
  const files: { file: string; lines: number }[] = [];
  const functions: FunctionSize[] = [];
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(root)) {
    const text = readFileSync(join(root, file), 'utf8');
    files.push({ file, lines: lineCount(text) });
    functions.push(...functionSizes(file, text));
    graph.set(file, importsOf(file, text, root));
  }
  return { files, functions, graph, cycles: importCycles(graph) };
}

/** Imports from one room (top folder under functions/, or infra, web) into another. */
export function roomOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'functions') return parts.length > 2 ? `functions/${parts[1]}` : file.replace(/\.ts$/, '');
  return parts[0] === 'web' ? 'web' : parts[0]!;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const m = measureHouse();
  const big = m.files.filter((f) => f.lines > 400).sort((a, b) => b.lines - a.lines);
  const long = m.functions.filter((f) => f.lines > 80).sort((a, b) => b.lines - a.lines);
  const over60 = m.functions.filter((f) => f.lines > 60).length;
  console.log(`files: ${m.files.length}; over 400 lines: ${big.length}`);
  for (const f of big) console.log(`  ${f.lines}\t${f.file}`);
  console.log(`functions: ${m.functions.length}; over 60 lines: ${over60}; over 80 lines: ${long.length}`);
  for (const f of long) console.log(`  ${f.lines}\t${f.file}:${f.line} ${f.name}`);
  console.log(`import cycles: ${m.cycles.length}`);
  for (const c of m.cycles) console.log(`  ${c.join(' ↔ ')}`);
  const edges = new Map<string, number>();
  for (const [from, tos] of m.graph) for (const to of tos) {
    const a = roomOf(from); const b = roomOf(to);
    if (a !== b) edges.set(`${a} → ${b}`, (edges.get(`${a} → ${b}`) ?? 0) + 1);
  }
  console.log('imports between rooms:');
  for (const [e, n] of [...edges].sort()) console.log(`  ${e}: ${n}`);
}
