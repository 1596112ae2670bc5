/**
 * The architecture, held by a test: every import of the application's code (src/, matchers/, connectors/,
 * migrations/ — .ts, .js, .mjs; static `import`, `export … from`, type imports and dynamic `import()`)
 * must go down the layers below or sideways inside one layer, and no file may reach itself through its
 * imports. LAYERS is the one statement of the order; the README's "Where things are" points here.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

interface Layer {
  /** How the failure message names it. */
  readonly name: string;
  /** Folders (ending in `/`) or files, relative to the repository root. */
  readonly members: readonly string[];
  /** Members of this layer may not import each other (pure siblings), only themselves and lower layers. */
  readonly membersApart?: boolean;
}

/**
 * Lowest first. A file may import files of its own member, of a lower layer, or of another member of its own
 * layer unless `membersApart`. The stages are one layer each, in pipeline order: a stage may use those
 * before it (the report reads what reconcile wrote, never the reverse).
 */
export const LAYERS: readonly Layer[] = [
  { name: 'base', members: ['src/base/'] },
  { name: 'pure rules', members: ['src/clean/', 'matchers/'], membersApart: true },
  { name: 'persistence and settings', members: ['migrations/', 'src/db/', 'src/config.ts'] },
  { name: 'connectors', members: ['connectors/'] },
  { name: 'stage: vaccination schedule', members: ['src/schedule/'] },
  { name: 'stage: ingest', members: ['src/ingest/'] },
  { name: 'stage: link', members: ['src/link/'] },
  { name: 'stage: reconcile', members: ['src/reconcile/'] },
  { name: 'stage: push', members: ['src/push/'] },
  { name: 'stage: report', members: ['src/report/'] },
  { name: 'stage: evaluation', members: ['src/eval/'] },
  { name: 'stage: synthetic data', members: ['src/synth/'] },
  { name: 'jobs', members: ['src/jobs/'] },
  { name: 'service', members: ['src/service/'] },
  { name: 'cli', members: ['src/cli/'] },
];

/** Imports the layer order allows but the design does not, with the reason. */
const FORBIDDEN: readonly { readonly from: string; readonly to: string; readonly why: string }[] = [
  {
    from: 'connectors/',
    to: 'matchers/model',
    why: 'connectors talk to outside systems; the match model is the matcher\'s own (share through src/base instead)',
  },
];

const ROOTS = ['src', 'matchers', 'connectors', 'migrations'];
const CODE = /\.(ts|js|mjs)$/;
const REPO = path.resolve(import.meta.dirname, '..');

export interface Import {
  readonly from: string;
  readonly to: string;
  readonly line: number;
  readonly typeOnly: boolean;
}

function codeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(REPO, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...codeFiles(rel));
    else if (CODE.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** Every module specifier of a file, with its line and whether it is only a type import. */
export function specifiers(fileName: string, text: string): { specifier: string; line: number; typeOnly: boolean }[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, fileName.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const found: { specifier: string; line: number; typeOnly: boolean }[] = [];
  const add = (node: ts.Node, literal: ts.Expression | undefined, typeOnly: boolean) => {
    if (literal && ts.isStringLiteralLike(literal)) {
      found.push({ specifier: literal.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, typeOnly });
    }
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly = clause !== undefined && (clause.isTypeOnly ||
        (clause.name === undefined && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings) &&
          clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node, node.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(node)) {
      add(node, node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The repository file a relative specifier names (`./x.js` is `./x.ts` in the sources), or null. */
function resolve(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null; // a package or node: built-in
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const candidates = [target, target.replace(/\.js$/, '.ts'), target.replace(/\.mjs$/, '.mts'), `${target}.ts`, `${target}/index.ts`];
  for (const candidate of candidates) if (fs.existsSync(path.join(REPO, candidate)) && fs.statSync(path.join(REPO, candidate)).isFile()) return candidate;
  return target; // a missing file: tsc says so; here it still must not point upward
}

export function readImports(): { files: string[]; imports: Import[] } {
  const files = ROOTS.flatMap(codeFiles).sort();
  const imports: Import[] = [];
  for (const from of files) {
    for (const { specifier, line, typeOnly } of specifiers(from, fs.readFileSync(path.join(REPO, from), 'utf8'))) {
      const to = resolve(from, specifier);
      if (to !== null) imports.push({ from, to, line, typeOnly });
    }
  }
  return { files, imports };
}

interface Place {
  readonly layer: number;
  readonly member: string;
}

function placeOf(file: string): Place | null {
  for (let layer = 0; layer < LAYERS.length; layer++) {
    for (const member of LAYERS[layer]!.members) {
      if (member.endsWith('/') ? file.startsWith(member) : file === member) return { layer, member };
    }
  }
  return null;
}

const describePlace = (p: Place) => `layer "${LAYERS[p.layer]!.name}" (${p.member})`;

/** Every import against the layer order or FORBIDDEN, one readable sentence each. */
export function layerViolations(imports: readonly Import[]): string[] {
  const problems: string[] = [];
  for (const { from, to, line } of imports) {
    const at = `${from}:${line}`;
    const source = placeOf(from)!;
    const target = placeOf(to);
    if (target === null) {
      problems.push(`${at} imports ${to}, which is outside the layered code (${ROOTS.join(', ')}): application code must not depend on tests, scripts or tools`);
      continue;
    }
    for (const rule of FORBIDDEN) {
      if (from.startsWith(rule.from) && to.startsWith(rule.to)) problems.push(`${at} imports ${to}: ${rule.from} must not import ${rule.to}* — ${rule.why}`);
    }
    if (target.layer < source.layer || target.member === source.member) continue;
    if (target.layer === source.layer && !LAYERS[source.layer]!.membersApart) continue;
    const how =
      target.layer === source.layer
        ? `${source.member} and ${target.member} are siblings in ${describePlace(source).replace(/ \(.*/, '')} and must not import each other`
        : `${describePlace(source)} imports ${describePlace(target)}, above it`;
    problems.push(
      `${at} imports ${to}: ${how}. Move what both need down (src/base/ is the bottom layer), or pass it in from above.`,
    );
  }
  return problems;
}

/** Every import cycle (a strongly connected group of files), each as one path `a → b → … → a`. */
export function importCycles(files: readonly string[], imports: readonly Import[]): string[][] {
  const edges = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const { from, to } of imports) if (edges.has(to) && !edges.get(from)!.includes(to)) edges.get(from)!.push(to);
  // Tarjan's strongly connected components.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const connect = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)!) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || edges.get(v)!.includes(v)) groups.push(group);
    }
  };
  for (const f of files) if (!index.has(f)) connect(f);
  // One concrete loop per group, from its first file in name order: the shortest way back (breadth first).
  return groups.map((group) => {
    const members = new Set(group);
    const start = [...group].sort()[0]!;
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
      const v = queue.shift()!;
      for (const w of edges.get(v)!) {
        if (!members.has(w)) continue;
        if (w === start) {
          const loop = [start];
          for (let at: string | undefined = v; at !== undefined && at !== start; at = previous.get(at)) loop.splice(1, 0, at);
          return [...loop, start];
        }
        if (!previous.has(w)) {
          previous.set(w, v);
          queue.push(w);
        }
      }
    }
    return [...group, group[0]!];
  });
}

describe('architecture', () => {
  const { files, imports } = readImports();

  it('reads the code it guards', () => {
    // A guard over nothing would pass forever: the tree is well over a hundred files and 400 relative imports.
    expect(files.length).toBeGreaterThan(100);
    expect(imports.length).toBeGreaterThan(400);
    expect(imports.some((i) => i.from === 'src/ingest/clean-worker-entry.mjs' && i.to === 'src/ingest/clean-worker.ts')).toBe(true);
  });

  it('places every file in a layer', () => {
    const unplaced = files.filter((f) => placeOf(f) === null);
    expect(unplaced, `files in no layer: add their folder to LAYERS in test/architecture.test.ts:\n${unplaced.join('\n')}`).toEqual([]);
  });

  it('has no import that goes up the layers', () => {
    const problems = layerViolations(imports);
    expect(problems, `${problems.length} import(s) against the layer order:\n${problems.join('\n')}`).toEqual([]);
  });

  it('has no import cycle', () => {
    const cycles = importCycles(files, imports).map((loop) => loop.join(' → '));
    expect(cycles, `${cycles.length} import cycle(s); break each by moving what both sides need into a module they both import:\n${cycles.join('\n')}`).toEqual([]);
  });
});

describe('the architecture checks themselves', () => {
  it('see static, re-exported, type-only and dynamic imports', () => {
    const text = [
      "import a from './a.js';",
      "import type { B } from './b.js';",
      "export { c } from './c.js';",
      "const d = await import('./d.js');",
      "type E = import('./e.js').E;",
      "import 'node:fs';",
    ].join('\n');
    expect(specifiers('x.ts', text)).toEqual([
      { specifier: './a.js', line: 1, typeOnly: false },
      { specifier: './b.js', line: 2, typeOnly: true },
      { specifier: './c.js', line: 3, typeOnly: false },
      { specifier: './d.js', line: 4, typeOnly: false },
      { specifier: './e.js', line: 5, typeOnly: true },
      { specifier: 'node:fs', line: 6, typeOnly: false },
    ]);
  });

  it('name an upward import, a sibling import and a forbidden one with both layers', () => {
    const problems = layerViolations([
      { from: 'src/clean/record.ts', to: 'src/db/schema.ts', line: 3, typeOnly: true },
      { from: 'matchers/record.ts', to: 'src/clean/name.ts', line: 9, typeOnly: false },
      { from: 'connectors/simulator-kit.ts', to: 'matchers/model.ts', line: 8, typeOnly: false },
      { from: 'src/cli/main.ts', to: 'src/service/serve.ts', line: 1, typeOnly: false },
    ]);
    expect(problems).toEqual([
      'src/clean/record.ts:3 imports src/db/schema.ts: layer "pure rules" (src/clean/) imports layer "persistence and settings" (src/db/), above it. Move what both need down (src/base/ is the bottom layer), or pass it in from above.',
      'matchers/record.ts:9 imports src/clean/name.ts: matchers/ and src/clean/ are siblings in layer "pure rules" and must not import each other. Move what both need down (src/base/ is the bottom layer), or pass it in from above.',
      expect.stringMatching(/^connectors\/simulator-kit\.ts:8 imports matchers\/model\.ts: connectors\/ must not import matchers\/model\* — /),
    ]);
  });

  it('find a cycle and name its files in order', () => {
    const files = ['a.ts', 'b.ts', 'c.ts', 'd.ts'];
    const edge = (from: string, to: string): Import => ({ from, to, line: 1, typeOnly: false });
    expect(importCycles(files, [edge('a.ts', 'b.ts'), edge('b.ts', 'c.ts'), edge('c.ts', 'a.ts'), edge('c.ts', 'd.ts')])).toEqual([
      ['a.ts', 'b.ts', 'c.ts', 'a.ts'],
    ]);
    expect(importCycles(files, [edge('a.ts', 'b.ts'), edge('b.ts', 'c.ts')])).toEqual([]);
  });
});
