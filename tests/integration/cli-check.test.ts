/** `opsdeck ingest --check FILE` run as a process, the way a hospital's IT staff use it while building an extract. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../functions/local/web-build.ts';
import { CORPUS, referenceLake } from '../support/corpus.ts';

let dataDir: string;
beforeAll(async () => {
  dataDir = await referenceLake();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function check(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'functions/local/cli.ts', 'ingest', '--check', ...args], {
    cwd: PROJECT_ROOT, env: { ...process.env, OPSDECK_DATA: dataDir }, encoding: 'utf8',
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const corpusFile = (name: string) => {
  const dir = join(CORPUS, name, 'outpatient_visits', 'dt=2026-03-10');
  return join(dir, readdirSync(dir)[0]!);
};

describe('opsdeck ingest --check', () => {
  it('names the line, field and reason of each rejected row, and exits 2', { timeout: 30_000 }, () => {
    const r = check(corpusFile('26-unknown-department'));
    expect(r.status).toBe(2);
    expect(r.out).toContain('表 table outpatient_visits · 批次 night 2026-03-10');
    expect(r.out).toContain('读取 read 2 · 接收 accepted 1 · 拒收 rejected 1');
    expect(r.out).toContain('references checked against: campuses@2026-02-01, departments@2026-02-01, doctors@2026-02-01');
    expect(r.out).toContain('第 2 行 line 2 · department_id');
    expect(r.out).toContain('has code "D999", which is not in the reference table departments');
    expect(r.out).toContain('1 行将被拒收 / 1 rows would be rejected');
  });

  it('exits 0 for a clean file and 3 for a refused one; takes the table and night from flags when the path has none', { timeout: 30_000 }, () => {
    expect(check(corpusFile('01-good-utf8-lf')).status).toBe(0);
    const refused = check(join(CORPUS, '10-zero-byte-file', 'surgeries', 'dt=2026-03-10', 'ops.csv'));
    expect(refused.status).toBe(3);
    expect(refused.out).toContain('the file is empty');
    const loose = join(mkdtempSync(join(tmpdir(), 'opsdeck-check-')), 'extract.csv');
    copyFileSync(corpusFile('01-good-utf8-lf'), loose);
    const unknown = check(loose);
    expect(unknown.status).toBe(1);
    expect(unknown.out).toContain('give --table');
    expect(check(loose, '--table', 'outpatient_visits', '--date', '2026-03-10').status).toBe(0);
    expect(check(loose, '--table', 'outpatient_visits', '--date', '2026-03-11').status).toBe(2); // every visit dated outside that night
  });
});
