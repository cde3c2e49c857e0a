/**
 * Ingest under failure and repetition:
 * - a crash injected at every write of a night's re-ingest leaves each lake partition either wholly old or wholly new,
 *   and the next run finishes with exactly the bytes of an uninterrupted run;
 * - ingesting the same night ten times leaves a byte-identical lake, quarantine and report;
 * - a file of one million rows is counted to the row.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestNight, ingestNights } from '../../functions/pipeline/ingest.ts';
import { pendingNights } from '../../functions/pipeline/landing.ts';
import { readNightReport } from '../../functions/lake/reports.ts';
import type { ObjectStore, ParquetWriter } from '../../functions/ports.ts';
import { landFile, referenceLake, withIngestDeps } from '../support/corpus.ts';

const NIGHT = '2026-03-10';
const VH = 'visit_id,visit_date,visit_type,campus_id,department_id,doctor_id,patient_id,insurance_type,fee_drug,fee_material,fee_exam,fee_lab,fee_treatment,fee_surgery,fee_consultation,fee_other,fee_total,insurance_paid';
const CH = 'census_date,ward_id,campus_id,department_id,open_beds,occupied_beds,admissions,discharges';
const LH = 'line_id,source_type,source_id,patient_id,item_code,item_category,quantity,unit_price,amount,ordering_department_id,executing_department_id,charge_date';

let reference: string;
beforeAll(async () => {
  reference = await referenceLake();
});
afterAll(() => rmSync(reference, { recursive: true, force: true }));

const land = (root: string, table: string, name: string, text: string, arrival: string): void => landFile(root, table, NIGHT, name, text, arrival);

/** sha256 of every file under lake/, quarantine/ and reports/ (by relative path), and any temporary files left behind. */
function snapshotFiles(root: string): { hashes: Record<string, string>; temporaries: string[] } {
  const hashes: Record<string, string> = {};
  const temporaries: string[] = [];
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const e of entries) {
      const full = join(dir, e);
      if (statSync(full).isDirectory()) walk(full);
      else if (e.includes('.tmp-')) temporaries.push(relative(root, full));
      else hashes[relative(root, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  for (const top of ['lake', 'quarantine', 'reports']) walk(join(root, top));
  return { hashes, temporaries };
}

class Crash extends Error {}

/** Counts the writes of a run, and crashes at the `failAt`-th one (1-based; 0 never). */
class FaultPlan {
  count = 0;
  constructor(readonly failAt: number) {}
  step(what: string): void {
    this.count++;
    if (this.count === this.failAt) throw new Crash(`injected crash at write ${this.count} (${what})`);
  }
  store(inner: ObjectStore): ObjectStore {
    return {
      get: (k) => inner.get(k),
      list: (p) => inner.list(p),
      locate: (p) => inner.locate(p),
      put: async (k, b) => { this.step(`put ${k}`); await inner.put(k, b); },
      putFile: async (k, f) => { this.step(`putFile ${k}`); await inner.putFile(k, f); },
      delete: async (k) => { this.step(`delete ${k}`); await inner.delete(k); },
    };
  }
  writer(inner: ParquetWriter): ParquetWriter {
    return { writeParquet: async (input) => { this.step(`writeParquet ${input.parquetPath}`); return inner.writeParquet(input); } };
  }
}

describe('atomicity: a crash at every write of a re-ingest', () => {
  it('leaves every partition old or new, never half, and the next run completes the night exactly', async () => {
    const old = join(reference, '..', `opsdeck-fault-old-${process.pid}`);
    rmSync(old, { recursive: true, force: true });
    cpSync(reference, old, { recursive: true, preserveTimestamps: true });
    // The night as first delivered: three sources, one rejected row.
    land(old, 'outpatient_visits', 'visits.csv', `${VH}\nV1,${NIGHT},outpatient,C01,D101,E1,P1,employee,10.00,0,5.00,0,0,0,15.00,0,30.00,20.00\nV2,${NIGHT},outpatient,C01,D999,E1,P2,employee,10.00,0,5.00,0,0,0,15.00,0,30.00,20.00\n`, '2026-03-11T01:10:00+08:00');
    land(old, 'bed_census', 'census.csv', `${CH}\n${NIGHT},D101W1,C01,D101,30,25,4,3\n`, '2026-03-11T01:20:00+08:00');
    land(old, 'charge_lines', 'lines.csv', `${LH}\nL1,inpatient,Z1,P9,A01,drug,2,12.50,25.00,D101,D101,${NIGHT}\n`, '2026-03-11T01:30:00+08:00');
    await withIngestDeps(old, async (deps) => void (await ingestNights(deps, await pendingNights(deps.store))));
    // A later delivery changes visits (the rejected row fixed) and census; charge lines are re-sent unchanged.
    land(old, 'outpatient_visits', 'visits-fix.csv', `${VH}\nV2,${NIGHT},outpatient,C01,D102,E2,P2,employee,10.00,0,5.00,0,0,0,15.00,0,30.00,20.00\n`, '2026-03-11T08:00:00+08:00');
    land(old, 'bed_census', 'census-fix.csv', `${CH}\n${NIGHT},D101W1,C01,D101,30,27,4,3\n`, '2026-03-11T08:05:00+08:00');
    const before = snapshotFiles(old);

    // The uninterrupted run, counting its writes.
    const clean = `${old}-clean`;
    cpSync(old, clean, { recursive: true, preserveTimestamps: true });
    const counter = new FaultPlan(0);
    await withIngestDeps(clean, async (deps) => void (await ingestNight(deps, NIGHT)), { store: (s) => counter.store(s), writer: (w) => counter.writer(w) });
    const after = snapshotFiles(clean);
    const writes = counter.count;
    expect(writes).toBeGreaterThanOrEqual(8); // 3 quarantine puts/deletes, 3 Parquet writes, 2 partition swaps, the report, …
    expect(after.hashes).not.toEqual(before.hashes);

    for (let k = 1; k <= writes; k++) {
      const dir = `${old}-crash-${k}`;
      cpSync(old, dir, { recursive: true, preserveTimestamps: true });
      try {
        const plan = new FaultPlan(k);
        await expect(withIngestDeps(dir, (deps) => ingestNight(deps, NIGHT), { store: (s) => plan.store(s), writer: (w) => plan.writer(w) })).rejects.toBeInstanceOf(Crash);
        const crashed = snapshotFiles(dir);
        expect(crashed.temporaries, `crash ${k}`).toEqual([]);
        for (const key of new Set([...Object.keys(before.hashes), ...Object.keys(after.hashes)])) {
          if (!key.startsWith('lake/')) continue;
          expect([before.hashes[key], after.hashes[key]], `crash ${k}: ${key} is neither the old nor the new partition`).toContain(crashed.hashes[key]);
        }
        // Every partition that is there is readable whole, and the night is still pending (its report is the old one).
        await withIngestDeps(dir, async (deps, engine) => {
          for (const t of ['outpatient_visits', 'bed_census', 'charge_lines']) {
            const { rows } = await engine.query(`SELECT count(*) AS n FROM {{${t}}} WHERE dt = ?`, { params: [NIGHT] });
            expect(Number(rows[0]!.n), `crash ${k}: ${t}`).toBeGreaterThan(0);
          }
          if (crashed.hashes[`reports/ingest/dt=${NIGHT}.json`] === before.hashes[`reports/ingest/dt=${NIGHT}.json`]) {
            expect(await pendingNights(deps.store), `crash ${k}`).toContain(NIGHT);
          }
          await ingestNights(deps, await pendingNights(deps.store));
        });
        expect(snapshotFiles(dir).hashes, `after crash ${k} and a re-run`).toEqual(after.hashes);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    rmSync(old, { recursive: true, force: true });
    rmSync(clean, { recursive: true, force: true });
  });
});

describe('idempotency', () => {
  it('ingesting the same night ten times leaves byte-identical lake, quarantine and report', async () => {
    const dir = `${reference}-idem`;
    cpSync(reference, dir, { recursive: true, preserveTimestamps: true });
    try {
      land(dir, 'outpatient_visits', 'visits.csv', `${VH}\nV1,${NIGHT},outpatient,C01,D101,E1,P1,employee,10.00,0,5.00,0,0,0,15.00,0,30.00,20.00\nV1,${NIGHT},outpatient,C01,D101,E1,P1,employee,20.00,0,5.00,0,0,0,15.00,0,40.00,20.00\nV3,${NIGHT},walk-in,C01,D101,E1,P3,employee,0,0,0,0,0,0,0,0,0,0\n`, '2026-03-11T01:10:00+08:00');
      land(dir, 'outpatient_visits', 'visits-resend.csv', `${VH}\nV1,${NIGHT},outpatient,C01,D101,E1,P1,employee,10.00,0,5.00,0,0,0,15.00,0,30.00,20.00\n`, '2026-03-11T02:10:00+08:00');
      land(dir, 'bed_census', 'census.csv', `${CH}\n${NIGHT},D101W1,C01,D101,30,25,4,3\n${NIGHT},D201W1,C02,D201,20,21,2,2\n`, '2026-03-11T01:20:00+08:00');
      await withIngestDeps(dir, async (deps) => {
        await ingestNight(deps, NIGHT);
        const first = snapshotFiles(dir).hashes;
        const firstReport = await readNightReport(deps.store, NIGHT);
        for (let i = 2; i <= 10; i++) await ingestNight(deps, NIGHT);
        const tenth = snapshotFiles(dir).hashes;
        const lakeAndQuarantine = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).filter(([k]) => !k.startsWith('reports/')));
        expect(lakeAndQuarantine(tenth)).toEqual(lakeAndQuarantine(first));
        // The report differs only in saying that the night had been ingested before, and that nothing changed since.
        const { previous, ...rest } = (await readNightReport(deps.store, NIGHT))!;
        expect(previous).toMatchObject({ files: 3, rowsRead: 6 });
        expect(firstReport!.tables.map((t) => t.partitionChanged)).toEqual([true, true]);
        expect(rest.tables.map((t) => t.partitionChanged)).toEqual([false, false]);
        expect({ ...rest, tables: rest.tables.map((t) => ({ ...t, partitionChanged: true })) }).toEqual(firstReport);
        expect(await pendingNights(deps.store)).toEqual([]);
        // Nothing changed, so no snapshot was marked stale.
        expect(await deps.store.list('reports/recompute/')).toEqual([]);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a file of one million rows', () => {
  it('counts every row: 999,985 accepted, 10 rejected, 5 duplicates', { timeout: 240_000 }, async () => {
    const dir = `${reference}-million`;
    cpSync(reference, dir, { recursive: true, preserveTimestamps: true });
    try {
      const rows: string[] = [LH];
      for (let i = 0; i < 1_000_000; i++) {
        // Rows 7, 100 007, …, 900 007: an amount that is not quantity × price. Rows 999 995 … 999 999 repeat line ids 0 … 4.
        const id = i >= 999_995 ? `L${i - 999_995}` : `L${i}`;
        const amount = i % 100_000 === 7 ? '26.00' : '25.00';
        rows.push(`${id},inpatient,Z${i % 5000},P${i % 7000},A01,drug,2,12.50,${amount},D101,D101,${NIGHT}`);
      }
      const path = join(dir, 'landing', 'charge_lines', `dt=${NIGHT}`, 'charge_lines.csv');
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, rows.join('\r\n') + '\r\n');
      await withIngestDeps(dir, async (deps, engine) => {
        const [report] = await ingestNights(deps, [NIGHT]);
        const file = report!.tables[0]!.files[0]!;
        expect({ read: file.rowsRead, accepted: file.accepted, rejected: file.rejected, duplicates: file.duplicates })
          .toEqual({ read: 1_000_000, accepted: 999_985, rejected: 10, duplicates: 5 });
        expect(report!.tables[0]!.rejectReasons).toEqual({ 'amount:amount_mismatch': 10 });
        const { rows: counted } = await engine.query('SELECT count(*) AS n, count(DISTINCT line_id) AS ids, sum(amount) AS total FROM {{charge_lines}} WHERE dt = ?', { params: [NIGHT] });
        expect(counted[0]).toEqual({ n: 999_985, ids: 999_985, total: 999_985 * 25 });
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
