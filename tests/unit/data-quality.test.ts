/** The data-quality rules on hand-made ingest reports: each rule at and around its threshold. */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../functions/domain/calendar.ts';
import { assessNight } from '../../functions/domain/data-quality.ts';
import type { FileReport, NightReport, TableReport } from '../../functions/domain/ingest-report.ts';

const DATE = '2026-03-17'; // a Tuesday

function file(accepted: number, extra: Partial<FileReport> = {}): FileReport {
  return { key: 'k.csv', bytes: 1, modifiedAt: '', sha256: '', rowsRead: accepted + (extra.rejected ?? 0), accepted, rejected: 0, duplicates: 0, lateMinutes: 0, ...extra };
}
function table(name: string, files: FileReport[], extra: Partial<TableReport> = {}): TableReport {
  return { table: name, files, rowsWritten: 0, partitionChanged: true, rejectReasons: {}, referencesUsed: [], referencesSkipped: [], ...extra };
}
function night(dt: string, tables: TableReport[]): NightReport {
  const all = tables.flatMap((t) => t.files);
  const sum = (k: 'rowsRead' | 'accepted' | 'rejected' | 'duplicates') => all.reduce((s, f) => s + f[k], 0);
  return { dt, contractVersion: '1.0.0', startedAt: `${dt}T18:00:00Z`, finishedAt: `${dt}T18:01:00Z`, tables, ignoredFiles: [],
    totals: { files: all.length, rowsRead: sum('rowsRead'), accepted: sum('accepted'), rejected: sum('rejected'), duplicates: sum('duplicates') } };
}
/** 56 nights before DATE with 1,000 visits and 40 census rows a night. */
function history(): NightReport[] {
  return Array.from({ length: 56 }, (_, i) => night(addDays(DATE, -56 + i), [table('outpatient_visits', [file(1000)]), table('bed_census', [file(40)])]));
}
const codes = (r: ReturnType<typeof assessNight>) => r.issues.map((i) => `${i.severity} ${i.code} ${i.table ?? ''}`.trim());

describe('data-quality assessment of a night', () => {
  it('is ok when every source arrived complete and on time', () => {
    const r = assessNight(DATE, [...history(), night(DATE, [table('outpatient_visits', [file(1000)]), table('bed_census', [file(40)])])]);
    expect(r.status).toBe('ok');
    expect(r.issues).toEqual([]);
    const v = r.sources.find((s) => s.table === 'outpatient_visits')!;
    expect(v.typical).toEqual({ median: 1000, low: 1000, high: 1000, weeks: 8 });
    expect(v.completeness).toEqual({ delivered: 30, expected: 30 });
    expect(v.trend).toHaveLength(30);
  });

  it('raises a P1 when a daily source that came all week is missing tonight', () => {
    const r = assessNight(DATE, [...history(), night(DATE, [table('bed_census', [file(40)])])]);
    expect(codes(r)).toEqual(['P1 missing_source outpatient_visits']);
    expect(r.status).toBe('critical');
    expect(r.sources.find((s) => s.table === 'outpatient_visits')!.completeness).toEqual({ delivered: 29, expected: 30 });
  });

  it('raises no_ingest when the night has no report at all', () => {
    expect(codes(assessNight(DATE, history()))).toEqual(['P1 no_ingest']);
  });

  it('calls a volume under half the same weekday median a collapse, and just below the usual range low', () => {
    const at = (n: number) => codes(assessNight(DATE, [...history(), night(DATE, [table('outpatient_visits', [file(n)]), table('bed_census', [file(40)])])]));
    expect(at(499)).toEqual(['P1 volume_collapse outpatient_visits']);
    expect(at(500)).toEqual(['P3 volume_low outpatient_visits']); // exactly half is not a collapse, but low
    expect(at(799)).toEqual(['P3 volume_low outpatient_visits']);
    expect(at(800)).toEqual([]); // below the usual 1,000–1,000 but within ordinary variation (≥ 80% of the median)
    expect(at(1000)).toEqual([]);
    expect(at(2000)).toEqual([]); // twice the median is the limit
    expect(at(2001)).toEqual(['P3 volume_high outpatient_visits']);
  });

  it('does not read Poisson noise in small counts as a volume problem, but does see an empty night', () => {
    // Eight operations every night; √8 × 2.5 = 7.07, so 4 (z −1.41) and 16 (z +2.83 but only 2×) are not flagged.
    const ops = (n: number) => codes(assessNight(DATE, [
      ...Array.from({ length: 56 }, (_, i) => night(addDays(DATE, -56 + i), [table('surgeries', [file(8)])])),
      night(DATE, [table('surgeries', [file(n)])]),
    ]));
    expect(ops(4)).toEqual([]);
    expect(ops(16)).toEqual([]);
    expect(ops(17)).toEqual(['P3 volume_high surgeries']); // z = 3.18 and over twice the median
    expect(ops(0)).toEqual(['P1 volume_collapse surgeries']); // z = −2.83
  });

  it('uses only the same weekday for the typical range', () => {
    // Tuesdays carry 1,000 visits; every other day 100. Tonight's 700 is low for a Tuesday, not high.
    const reports = Array.from({ length: 56 }, (_, i) => {
      const dt = addDays(DATE, -56 + i);
      return night(dt, [table('outpatient_visits', [file(i % 7 === 0 ? 1000 : 100)])]);
    });
    const r = assessNight(DATE, [...reports, night(DATE, [table('outpatient_visits', [file(700)])])]);
    expect(r.sources[0]!.typical).toEqual({ median: 1000, low: 1000, high: 1000, weeks: 8 });
    expect(codes(r)).toEqual(['P3 volume_low outpatient_visits']);
  });

  it('grades the rejection rate: over 1% a P2, over 10% a P1', () => {
    // 1,000 rows read tonight; the weeks before had 850 accepted, so the accepted count itself is never unusual here.
    const before = Array.from({ length: 56 }, (_, i) => night(addDays(DATE, -56 + i), [table('outpatient_visits', [file(850)])]));
    const at = (rejected: number) => codes(assessNight(DATE, [...before, night(DATE, [table('outpatient_visits', [file(1000 - rejected, { rejected })])])]));
    expect(at(10)).toEqual([]); // exactly 1%
    expect(at(11)).toEqual(['P2 rejection_rate outpatient_visits']);
    expect(at(100)).toEqual(['P2 rejection_rate outpatient_visits']); // exactly 10%
    expect(at(101)).toEqual(['P1 rejection_rate outpatient_visits']);
  });

  it('reports lateness: up to 4 hours a P3, more a P2', () => {
    const at = (late: number) => codes(assessNight(DATE, [...history(), night(DATE, [table('outpatient_visits', [file(1000, { lateMinutes: late })]), table('bed_census', [file(40)])])]));
    expect(at(240)).toEqual(['P3 late outpatient_visits']);
    expect(at(241)).toEqual(['P2 late outpatient_visits']);
    // Delivered more than seven days after its deadline: history being loaded (a backfill), not a late night.
    expect(at(7 * 1440)).toEqual(['P2 late outpatient_visits']);
    expect(at(7 * 1440 + 1)).toEqual([]);
  });

  it('turns refused files and truncation warnings into P1s', () => {
    const refused = file(0, { refused: { code: 'file_header', zh: '表头不符', en: 'header does not match' } });
    const truncated = file(40, { warnings: [{ code: 'truncated', zh: '可能被截断', en: 'probably cut off' }] });
    const r = assessNight(DATE, [...history(), night(DATE, [table('outpatient_visits', [refused], { partitionKept: { zh: '保留', en: 'kept' } }), table('bed_census', [truncated])])]);
    // A refused night has no volume to judge; the partition kept from before is said so.
    expect(codes(r)).toEqual(['P1 file_refused outpatient_visits', 'P1 partition_kept outpatient_visits', 'P1 truncated bed_census']);
  });

  it('expects last month\'s monthly closing after the due day', () => {
    const monthly = (dt: string) => night(dt, [table('department_costs', [file(70)])]);
    const base = [monthly('2026-01-01'), ...history()];
    expect(codes(assessNight('2026-03-10', base))).not.toContain('P2 missing_source department_costs'); // due by the 10th
    expect(codes(assessNight('2026-03-11', base))).toContain('P2 missing_source department_costs');
    expect(codes(assessNight('2026-03-11', [...base, monthly('2026-02-01')]))).not.toContain('P2 missing_source department_costs');
  });
});
