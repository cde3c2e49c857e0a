/** The landing area as ingest sees it: the nights and tables delivered, entries no night will read, the nights still to ingest. */
import { isIsoDate } from '../domain/calendar.ts';
import { TABLES } from '../domain/contract.ts';
import { SPECIAL_ENTRY, type ObjectInfo, type ObjectStore } from '../ports.ts';
import { AREAS, dtFolder, landingPlace } from '../lake/layout.ts';
import { readNightReport } from '../lake/reports.ts';

export const isCsv = (key: string): boolean => key.toLowerCase().endsWith('.csv');
/** A regular CSV file of a contract table: what ingest reads. */
export const isIngestable = (o: ObjectInfo): boolean => isCsv(o.key) && !o.special;
export const isContractTableName = (t: string): boolean => TABLES.some((s) => s.name === t);

/** Landing files by night and table folder (every file, including ones ingest will not read, so that the report can say so). */
export type LandingIndex = Map<string, Map<string, ObjectInfo[]>>;

/** A landing entry outside any night that can be ingested: an impossible date folder, or a file nested too deep. */
export interface LandingProblem {
  key: string;
  zh: string;
  en: string;
}

const impossibleNight = (key: string, dt: string): LandingProblem => ({ key, zh: `夜间目录 dt=${dt} 不是有效日期，未导入`, en: `night folder dt=${dt} is not a valid date: not ingested` });
const LANDING_ANY = /^landing\/([^/]+)\/([^/]+)\/(.+)$/;

/** Reads the landing folders once: the index of nights, and the entries no night will read (with why). */
export async function scanLanding(store: ObjectStore): Promise<{ index: LandingIndex; problems: LandingProblem[] }> {
  const index: LandingIndex = new Map();
  const problems: LandingProblem[] = [];
  for (const obj of await store.list(AREAS.landing)) {
    if (obj.key.startsWith(AREAS.manifests)) continue;
    const m = landingPlace(obj.key);
    if (!m) {
      const parts = LANDING_ANY.exec(obj.key);
      const folder = parts?.[2] ?? '';
      const dt = dtFolder(folder);
      if (obj.special) problems.push({ key: obj.key, zh: `${SPECIAL_ENTRY[obj.special].zh}，未导入`, en: `${SPECIAL_ENTRY[obj.special].en}: not ingested` });
      else if (dt && !isIsoDate(dt)) problems.push(impossibleNight(obj.key, dt));
      else if (dt) problems.push({ key: obj.key, zh: '位于夜间目录的子文件夹中，未导入（文件应直接放在 dt=YYYY-MM-DD/ 下）', en: 'lies in a sub-folder of the night folder: not ingested (files go directly under dt=YYYY-MM-DD/)' });
      else problems.push({ key: obj.key, zh: '不在 landing/<表名>/dt=YYYY-MM-DD/ 目录中，未导入', en: 'is not under landing/<table>/dt=YYYY-MM-DD/: not ingested' });
      continue;
    }
    const { table, dt } = m;
    if (!isIsoDate(dt)) {
      problems.push(impossibleNight(obj.key, dt));
      continue;
    }
    let night = index.get(dt);
    if (!night) index.set(dt, (night = new Map()));
    night.set(table, [...(night.get(table) ?? []), obj]);
  }
  return { index, problems };
}

export async function landingIndex(store: ObjectStore): Promise<LandingIndex> {
  return (await scanLanding(store)).index;
}

/** Every night (dt) that has at least one landing file, ascending. */
export async function landingNights(store: ObjectStore): Promise<string[]> {
  return [...(await landingIndex(store)).keys()].sort();
}

const fingerprint = (files: readonly { key: string; bytes?: number; size?: number; modifiedAt: string }[]): string =>
  files.map((f) => `${f.key}|${f.bytes ?? f.size}|${f.modifiedAt}`).sort().join('\n');

/**
 * Nights to (re-)ingest: those with landing files but no report, those whose landing files differ from what their
 * report recorded (a re-delivery, a late correction, a file removed by the hospital, or a run that crashed before its
 * report), and those whose rows the lake writer refused.
 */
export async function pendingNights(store: ObjectStore, index?: LandingIndex): Promise<string[]> {
  const landing = index ?? (await landingIndex(store));
  const pending: string[] = [];
  for (const [dt, tables] of landing) {
    const report = await readNightReport(store, dt);
    const ingestable = [...tables].filter(([t]) => isContractTableName(t)).flatMap(([, files]) => files.filter(isIngestable));
    // A night whose rows the writer refused is retried on every run (the refusal may be fixed by an upgrade).
    if (!report || report.tables.some((t) => t.writeRefused) || fingerprint(report.tables.flatMap((t) => t.files)) !== fingerprint(ingestable)) pending.push(dt);
  }
  return pending.sort();
}
