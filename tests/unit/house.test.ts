/**
 * The house's rules (docs/architecture.md), read from the source: no import cycle, the arrows between rooms, every
 * domain file with code under a unit test of its name, and the size limits — with the few files and functions still
 * over them listed at their current size, which may only shrink.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureHouse, ROOT, type HouseMeasures } from '../support/house.ts';

const house: HouseMeasures = measureHouse();

/** Files and functions allowed over the limits, at their size (none now: a new one is a decision written here, not drift). */
const FILES_OVER_400: Record<string, number> = {};
const FUNCTIONS_OVER_80: Record<string, number> = {};

const importsFrom = (prefix: string) => [...house.graph].filter(([file]) => file.startsWith(prefix));

describe('the house', () => {
  it('has no import cycle', () => {
    expect(house.cycles).toEqual([]);
  });

  it('keeps the arrows: domain imports only itself; api and pipeline not each other; lake neither; web only the API contract', () => {
    const wrong: string[] = [];
    for (const [file, targets] of house.graph) {
      for (const t of targets) {
        const bad = (file.startsWith('functions/domain/') && !t.startsWith('functions/domain/'))
          || (file.startsWith('functions/api/') && t.startsWith('functions/pipeline/'))
          || (file.startsWith('functions/pipeline/') && t.startsWith('functions/api/'))
          || (file.startsWith('functions/lake/') && (t.startsWith('functions/api/') || t.startsWith('functions/pipeline/')))
          || ((file.startsWith('functions/api/') || file.startsWith('functions/pipeline/') || file.startsWith('functions/lake/')) && (t.startsWith('functions/adapters/') || t.startsWith('functions/local/')))
          || (file.startsWith('web/') && t.startsWith('functions/') && t !== 'functions/api/contract.ts');
        if (bad) wrong.push(`${file} → ${t}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(importsFrom('functions/domain/').length).toBeGreaterThan(20);
  });

  it('gives every domain file with code a unit test of its name', () => {
    const missing = house.files.map((f) => f.file).filter((f) => f.startsWith('functions/domain/')).filter((f) => {
      const code = /^(export )?(async )?(function|const|class|let) /m.test(readFileSync(join(ROOT, f), 'utf8'));
      return code && !existsSync(join(ROOT, 'tests', 'unit', `${f.slice('functions/domain/'.length, -'.ts'.length)}.test.ts`));
    });
    expect(missing).toEqual([]);
  });

  it('has no source file over 400 lines and no function over 80 beyond the listed ones, and those do not grow', () => {
    const files = Object.fromEntries(house.files.filter((f) => f.lines > 400).map((f) => [f.file, f.lines]));
    for (const [file, lines] of Object.entries(files)) expect(lines, file).toBeLessThanOrEqual(FILES_OVER_400[file] ?? 400);
    const fns = Object.fromEntries(house.functions.filter((f) => f.lines > 80).map((f) => [`${f.file} ${f.name}`, f.lines]));
    for (const [fn, lines] of Object.entries(fns)) expect(lines, fn).toBeLessThanOrEqual(FUNCTIONS_OVER_80[fn] ?? 80);
  });
});
