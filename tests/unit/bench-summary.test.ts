/** The README's Performance table is built from the newest result of each benchmark, between its markers and nowhere else. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { README_END, README_START, performanceTable, updateReadme, type ResultsFile } from '../bench/summary.ts';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'opsdeck-bench-summary-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const row = (scale: string, value: string, reference: string, ratio: number | null) => ({ scale, measure: 'm', value, reference, ratio });
const write = (name: string, r: ResultsFile) => writeFileSync(join(dir, name), JSON.stringify(r));

describe('the Performance table', () => {
  beforeEach(() => {
    // The older full run measured web and ingest; a later partial run measured ingest again and explore without rows.
    write('2026-01-01.json', { machine: 'A', commit: 'aaa', startedAt: '2026-01-01T10:00:00.000Z', benchmarks: [
      { name: 'web', seconds: 1, lines: [], summary: [row('—', '200 KB', 'x 400 KB', 0.5)] },
      { name: 'ingest', seconds: 1, lines: [], summary: [row('s', '9 s', 'copy 3 s', 3)] },
    ] });
    write('2026-02-01-ingest.json', { machine: 'B', commit: 'bbb', startedAt: '2026-02-01T08:30:00.000Z', benchmarks: [
      { name: 'ingest', seconds: 1, lines: [], summary: [row('l', '2 s', 'copy 1 s', 2), row('m', '1 s', 'copy 8 s', 0.125)] },
      { name: 'explore', seconds: 1, lines: ['no summary'] },
    ] });
  });

  it('takes each benchmark from its newest run, in the suite\'s order, and names the runs', () => {
    expect(performanceTable(dir).split('\n')).toEqual([
      '| benchmark | scale | measure | OpsDeck | reference, same run | ratio |',
      '|---|---|---|---|---|---|',
      '| ingest [1] | l | m | 2 s | copy 1 s | ×2.00 |',
      '| ingest [1] | m | m | 1 s | copy 8 s | ×0.13 |',
      '| web [2] | — | m | 200 KB | x 400 KB | ×0.50 |',
      '',
      '[1] 2026-02-01 08:30 UTC, commit bbb, B.<br>',
      '[2] 2026-01-01 10:00 UTC, commit aaa, A.',
    ]);
  });

  it('replaces only what stands between the markers, and refuses a README without them', () => {
    const readme = join(dir, 'README.md');
    writeFileSync(readme, `# T\n\nbefore\n${README_START}\nold table\n${README_END}\nafter\n`);
    updateReadme(readme, dir);
    const text = readFileSync(readme, 'utf8');
    expect(text.startsWith(`# T\n\nbefore\n${README_START}\n| benchmark |`)).toBe(true);
    expect(text.endsWith(`commit aaa, A.\n${README_END}\nafter\n`)).toBe(true);
    expect(text).not.toContain('old table');
    writeFileSync(readme, '# T\n');
    expect(() => updateReadme(readme, dir)).toThrow(`${readme}: the Performance section's markers are missing`);
  });
});
