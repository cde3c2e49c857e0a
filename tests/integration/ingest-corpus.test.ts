/**
 * The bad-input corpus (tests/fixtures/ingest-corpus): each case delivers files into a lake that already holds a small
 * reference set, runs the real ingest (pending-night detection, DuckDB, the local folder store), and checks the exact
 * outcome written by hand in its case.json: per-file counts, reasons by line and field, the lake rows, and what the
 * report says. Rows in = accepted + rejected + duplicates is checked for every file independently of the pipeline.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDbEngine } from '../../functions/adapters/duckdb.ts';
import { ingestNights, type IngestDeps, type NightReport } from '../../functions/pipeline/ingest.ts';
import { pendingNights } from '../../functions/pipeline/landing.ts';
import { recomputeKey, rejectsKey } from '../../functions/lake/layout.ts';
import { parseCsv } from '../../functions/lake/csv.ts';
import type { SqlValue } from '../../functions/ports.ts';
import { CORPUS, referenceLake, withIngestDeps } from '../support/corpus.ts';


interface FileExpect { name: string; rowsRead: number; accepted: number; rejected: number; duplicates: number; refused?: string; encoding?: string; lateMinutes?: number; warnings?: string[] }
interface TableExpect { files: FileExpect[]; rowsWritten: number; rejects: [string, number, string, string][]; partitionKept: boolean; lake?: { key: Record<string, SqlValue>; values: Record<string, SqlValue> }[] }
interface StepExpect {
  nights: string[];
  tables?: Record<string, TableExpect>;
  messages?: string[];
  ignored?: number;
  skipped?: Record<string, string[]>;
  previous?: boolean;
  recompute?: boolean;
}
interface Case { title: { zh: string; en: string }; steps: { files: { src: string; key: string; arrival: string }[]; expect: StepExpect }[] }

const cases = readdirSync(CORPUS).filter((d) => !d.startsWith('_')).sort();
let template: string;

beforeAll(async () => {
  template = await referenceLake();
});
afterAll(() => rmSync(template, { recursive: true, force: true }));

describe(`ingest corpus: ${cases.length} bad-input cases`, () => {
  it('has at least 40 cases', () => expect(cases.length).toBeGreaterThanOrEqual(40));

  for (const name of cases) {
    const spec = JSON.parse(readFileSync(join(CORPUS, name, 'case.json'), 'utf8')) as Case;
    it(`${name}: ${spec.title.en} / ${spec.title.zh}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), `opsdeck-case-${name.slice(0, 2)}-`));
      try {
        cpSync(template, dir, { recursive: true, preserveTimestamps: true });
        await withIngestDeps(dir, async (deps, engine) => {
          for (const [s, step] of spec.steps.entries()) {
            const where = `${name} step ${s + 1}`;
            for (const f of step.files) {
              const target = join(dir, f.key);
              mkdirSync(dirname(target), { recursive: true });
              cpSync(join(CORPUS, name, f.src), target);
              utimesSync(target, new Date(f.arrival), new Date(f.arrival));
            }
            const nights = await pendingNights(deps.store);
            expect(nights, where).toEqual(step.expect.nights);
            const reports: NightReport[] = await ingestNights(deps, nights);
            if (nights.length === 0) continue;
            const report = reports.find((r) => r.dt === nights[0])!;
            await checkStep(where, deps, engine, report, step.expect);
          }
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

async function checkStep(where: string, deps: IngestDeps, engine: DuckDbEngine, report: NightReport, want: StepExpect): Promise<void> {
  // Nothing lost, counted independently of the pipeline's own check.
  for (const t of report.tables) for (const f of t.files) expect(f.rowsRead, `${where} ${f.key}`).toBe(f.accepted + f.rejected + f.duplicates);
  for (const [table, tw] of Object.entries(want.tables ?? {})) {
    const t = report.tables.find((x) => x.table === table);
    expect(t, `${where}: no report for ${table}`).toBeDefined();
    expect(t!.files.map((f) => ({
      name: basename(f.key), rowsRead: f.rowsRead, accepted: f.accepted, rejected: f.rejected, duplicates: f.duplicates,
      ...(f.refused ? { refused: f.refused.code } : {}),
    })), where).toEqual(tw.files.map(({ name, rowsRead, accepted, rejected, duplicates, refused }) => ({ name, rowsRead, accepted, rejected, duplicates, ...(refused ? { refused } : {}) })));
    for (const [i, fw] of tw.files.entries()) {
      const got = t!.files[i]!;
      if (fw.encoding) expect(got.encoding, where).toBe(fw.encoding);
      if (fw.lateMinutes !== undefined) expect(got.lateMinutes, where).toBe(fw.lateMinutes);
      expect((got.warnings ?? []).map((w) => w.code), where).toEqual(fw.warnings ?? []);
    }
    expect(t!.rowsWritten, where).toBe(tw.rowsWritten);
    expect(Boolean(t!.partitionKept), where).toBe(tw.partitionKept);

    const quarantine = await deps.store.get(rejectsKey(table, report.dt));
    if (tw.rejects.length === 0) expect(quarantine, `${where}: no quarantine file expected`).toBeUndefined();
    else {
      const rows = [...parseCsv(new TextDecoder().decode(quarantine))].slice(1).map((r) => r.fields);
      expect(rows.map((r) => [basename(r[0]!), Number(r[1]), r[2], r[3]]), where).toEqual(tw.rejects);
      for (const r of rows) expect(r[4]!.length > 0 && r[5]!.length > 0, `${where}: reason in zh-CN and English`).toBe(true);
      expect(Object.values(t!.rejectReasons).reduce((a, b) => a + b, 0), where).toBe(rows.length);
    }
    for (const probe of tw.lake ?? []) {
      const { rows } = await engine.query(`SELECT * FROM {{${table}}} WHERE dt = ?`, { params: [report.dt] });
      const row = rows.find((r) => Object.entries(probe.key).every(([k, v]) => r[k] === v));
      expect(row, `${where}: lake row ${JSON.stringify(probe.key)}`).toBeDefined();
      expect(Object.fromEntries(Object.keys(probe.values).map((k) => [k, row![k]])), where).toEqual(probe.values);
    }
  }
  if (want.messages) {
    const quarantined = await Promise.all(report.tables.map(async (t) => new TextDecoder().decode((await deps.store.get(rejectsKey(t.table, report.dt))) ?? new Uint8Array())));
    const text = quarantined.flatMap((q) => [...parseCsv(q)].map((r) => r.fields.join('\n'))).join('\n');
    for (const m of want.messages) expect(text, where).toContain(m);
  }
  expect(report.ignoredFiles.length, where).toBe(want.ignored ?? 0);
  for (const [table, skipped] of Object.entries(want.skipped ?? {})) expect(report.tables.find((t) => t.table === table)!.referencesSkipped, where).toEqual(skipped);
  if (want.previous !== undefined) expect(Boolean(report.previous), where).toBe(want.previous);
  if (want.recompute !== undefined) expect(Boolean(await deps.store.get(recomputeKey(report.dt))), where).toBe(want.recompute);
}
