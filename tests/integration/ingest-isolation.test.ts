/**
 * No bad night, file or row affects another:
 * - a record longer than the limit is one rejected row (with its line), and a long but allowed value still lands;
 * - a night whose rows the lake writer refuses is recorded (P1, old partition kept) and the nights after it land;
 * - a night that fails outright is retried on the next run, and the nights after it land meanwhile.
 */
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessNight } from '../../functions/domain/data-quality.ts';
import { NightsFailedError, ingestNights } from '../../functions/pipeline/ingest.ts';
import { pendingNights } from '../../functions/pipeline/landing.ts';
import { rejectsKey } from '../../functions/lake/layout.ts';
import { readNightReport } from '../../functions/lake/reports.ts';
import { parseCsv } from '../../functions/lake/csv.ts';
import { LakeWriteRefused, type ParquetWriter } from '../../functions/ports.ts';
import { landFile, referenceLake, withIngestDeps } from '../support/corpus.ts';

const CH = 'census_date,ward_id,campus_id,department_id,open_beds,occupied_beds,admissions,discharges';
const LH = 'line_id,source_type,source_id,patient_id,item_code,item_category,quantity,unit_price,amount,ordering_department_id,executing_department_id,charge_date';
const NIGHTS = ['2026-03-10', '2026-03-11', '2026-03-12'];

let reference: string;
beforeAll(async () => {
  reference = await referenceLake();
});
afterAll(() => rmSync(reference, { recursive: true, force: true }));

const land = (root: string, table: string, dt: string, name: string, text: string): void => landFile(root, table, dt, name, text);

function copyOfReference(tag: string): string {
  const dir = `${reference}-${tag}`;
  cpSync(reference, dir, { recursive: true, preserveTimestamps: true });
  for (const [i, dt] of NIGHTS.entries()) land(dir, 'bed_census', dt, 'census.csv', `${CH}\n${dt},D101W1,C01,D101,30,${20 + i},4,3\n`);
  return dir;
}

describe('an over-long record', () => {
  it('is one rejected row naming its line; the rows around it and a 900,000-character value land', { timeout: 60_000 }, async () => {
    const dir = `${reference}-long`;
    cpSync(reference, dir, { recursive: true, preserveTimestamps: true });
    try {
      const night = NIGHTS[0]!;
      const long = '院'.repeat(900_000); // 2.7 MB of UTF-8: over DuckDB's default 2 MB line limit, under OpsDeck's 1,000,000 characters
      const tooLong = 'x'.repeat(2_100_000);
      land(dir, 'charge_lines', night, 'lines.csv', [LH,
        `L1,inpatient,Z1,P1,A01,drug,2,12.50,25.00,D101,D101,${night}`,
        `L2,inpatient,Z1,${tooLong},A01,drug,2,12.50,25.00,D101,D101,${night}`,
        `L3,inpatient,Z1,${long},A01,drug,2,12.50,25.00,D101,D101,${night}`,
        `L4,inpatient,Z1,P4,A01,drug,2,12.50,25.00,D101,D101,${night}`, ''].join('\n'));
      await withIngestDeps(dir, async (deps, engine) => {
        const [report] = await ingestNights(deps, await pendingNights(deps.store));
        const file = report!.tables[0]!.files[0]!;
        expect({ read: file.rowsRead, accepted: file.accepted, rejected: file.rejected }).toEqual({ read: 4, accepted: 3, rejected: 1 });
        const quarantine = [...parseCsv(new TextDecoder().decode(await deps.store.get(rejectsKey('charge_lines', night))))].slice(1);
        expect(quarantine.map((r) => [Number(r.fields[1]), r.fields[3]])).toEqual([[3, 'record_too_long']]);
        // The quarantine names the line and keeps the record's start, not 2 MB of it.
        expect(quarantine[0]!.fields[6]!.length).toBeLessThan(5_000);
        const { rows } = await engine.query('SELECT line_id, length(patient_id) AS n FROM {{charge_lines}} WHERE dt = ? ORDER BY line_id', { params: [night] });
        expect(rows).toEqual([{ line_id: 'L1', n: 2 }, { line_id: 'L3', n: 900_000 }, { line_id: 'L4', n: 2 }]);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a night the lake writer refuses', () => {
  it('is recorded with a P1 and its old partition, later nights land, and it is retried on the next run', async () => {
    const dir = copyOfReference('refused');
    try {
      // The writer refuses bed census rows of the middle night, as DuckDB would refuse a value its column cannot hold.
      let refuse = true;
      const picky = (inner: ParquetWriter): ParquetWriter => ({
        writeParquet: async (input) => {
          if (refuse && input.csvPath.includes(`bed_census-${NIGHTS[1]}`)) throw new LakeWriteRefused('Conversion Error: CSV Error on Line: 2', 2);
          return inner.writeParquet(input);
        },
      });
      await withIngestDeps(dir, async (deps, engine) => {
        const reports = await ingestNights(deps, await pendingNights(deps.store));
        expect(reports.map((r) => r.dt)).toEqual(NIGHTS);
        const middle = reports[1]!.tables[0]!;
        expect(middle.writeRefused).toBe(true);
        expect(middle.rowsWritten).toBe(0);
        expect(middle.partitionKept!.en).toContain('landing/bed_census/dt=2026-03-11/census.csv');
        expect(middle.partitionKept!.zh).toContain('写入数据湖失败');
        const { rows } = await engine.query('SELECT dt, occupied_beds FROM {{bed_census}} ORDER BY dt');
        expect(rows).toEqual([{ dt: NIGHTS[0], occupied_beds: 20 }, { dt: NIGHTS[2], occupied_beds: 22 }]);
        // The data-quality assessment of that night raises it as P1.
        const quality = assessNight(NIGHTS[1]!, [(await readNightReport(deps.store, NIGHTS[0]!))!, (await readNightReport(deps.store, NIGHTS[1]!))!]);
        expect(quality.issues.filter((i) => i.severity === 'P1').map((i) => i.code)).toContain('partition_kept');
        // It stays pending, and once the writer takes the rows, the next run writes them.
        expect(await pendingNights(deps.store)).toEqual([NIGHTS[1]]);
      }, { writer: (w) => picky(w) });
      refuse = false;
      await withIngestDeps(dir, async (deps, engine) => {
        await ingestNights(deps, await pendingNights(deps.store));
        expect(await pendingNights(deps.store)).toEqual([]);
        const { rows } = await engine.query('SELECT dt, occupied_beds FROM {{bed_census}} ORDER BY dt');
        expect(rows.map((r) => r.occupied_beds)).toEqual([20, 21, 22]);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('what a killed run leaves behind', () => {
  it('its work folders in scratch are swept by the next run; nothing else there is touched', async () => {
    const dir = copyOfReference('sweep');
    try {
      const scratch = join(dir, 'scratch');
      for (const d of ['bed_census-2026-03-09-deadbeef', 'charge_lines-2026-03-01-0123abcd', 'duckdb']) {
        mkdirSync(join(scratch, d), { recursive: true });
        writeFileSync(join(scratch, d, 'clean.csv'), 'x');
      }
      writeFileSync(join(scratch, 'notes.txt'), 'keep');
      await withIngestDeps(dir, async (deps) => void (await ingestNights(deps, await pendingNights(deps.store))));
      expect(readdirSync(scratch).sort()).toEqual(['duckdb', 'notes.txt']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a night that fails outright', () => {
  it('does not stop the nights after it; it has no report and is retried on the next run', async () => {
    const dir = copyOfReference('failed');
    try {
      let fail = true;
      const broken = (inner: ParquetWriter): ParquetWriter => ({
        writeParquet: async (input) => {
          if (fail && input.csvPath.includes(`bed_census-${NIGHTS[0]}`)) throw new Error('IO Error: injected failure');
          return inner.writeParquet(input);
        },
      });
      await withIngestDeps(dir, async (deps) => {
        const error = await ingestNights(deps, await pendingNights(deps.store)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(NightsFailedError);
        expect((error as NightsFailedError).failures.map((f) => f.dt)).toEqual([NIGHTS[0]]);
        expect((error as NightsFailedError).landed).toBe(2);
        expect((error as Error).message).toContain('injected failure');
        expect(await readNightReport(deps.store, NIGHTS[0]!)).toBeUndefined();
        expect((await readNightReport(deps.store, NIGHTS[2]!))?.tables[0]?.rowsWritten).toBe(1);
        expect(await pendingNights(deps.store)).toEqual([NIGHTS[0]]);
      }, { writer: (w) => broken(w) });
      fail = false;
      await withIngestDeps(dir, async (deps) => {
        await ingestNights(deps, await pendingNights(deps.store));
        expect(await pendingNights(deps.store)).toEqual([]);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
