/**
 * The layering rules of ARCHITECTURE.md, checked on every run: imports point down only, and the pure
 * cores (stats/, domain/) import nothing from the rest of src/ and do no I/O.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] as string);
}

/** The top-level src/ folder a relative import lands in, or the package name. */
function target(file: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  const rel = path.relative(SRC, path.resolve(path.dirname(file), spec));
  return `src/${rel.split(path.sep)[0]}`;
}

const layer = (file: string) => `src/${path.relative(SRC, file).split(path.sep)[0]}`;

const FORBIDDEN: Record<string, string[]> = {
  'src/http': ['src/store', 'src/warehouse', 'src/worker', 'src/cli'],
  'src/services': ['src/http', 'src/cli', 'src/worker'],
  'src/worker': ['src/http', 'src/cli'],
  'src/store': ['src/services', 'src/http', 'src/worker', 'src/cli', 'src/warehouse'],
  'src/warehouse': ['src/services', 'src/http', 'src/worker', 'src/cli', 'src/store'],
  'src/security': ['src/services', 'src/http', 'src/worker', 'src/cli', 'src/store'],
};

const PURE = ['src/stats', 'src/domain'];
const IO_MODULES = /^(node:)?(fs|net|http|https|dns|child_process|dgram|tls|fs\/promises)$|^(pg|kysely|@duckdb\/.*|@electric-sql\/.*|hono.*|@hono\/.*)$/;

describe('architecture', () => {
  const files = sourceFiles(SRC);

  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it('keeps imports pointing down', () => {
    const violations = files.flatMap((f) =>
      importsOf(f)
        .map((spec) => ({ spec, to: target(f, spec) }))
        .filter(({ to }) => (FORBIDDEN[layer(f)] ?? []).includes(to))
        .map(({ spec }) => `${path.relative(SRC, f)} imports ${spec}`),
    );
    expect(violations).toEqual([]);
  });

  it('keeps stats/ and domain/ pure', () => {
    const violations = files
      .filter((f) => PURE.includes(layer(f)))
      .flatMap((f) =>
        importsOf(f)
          .filter((spec) => (spec.startsWith('.') ? !PURE.includes(target(f, spec)) : IO_MODULES.test(spec)))
          .map((spec) => `${path.relative(SRC, f)} imports ${spec}`),
      );
    expect(violations).toEqual([]);
  });
});
