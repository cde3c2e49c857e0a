/**
 * Where everything lives in the object store, in one place: the hospital's landing drops, the lake's Parquet
 * partitions, quarantine, the nightly reports and the configuration, each keyed by night as `dt=YYYY-MM-DD`. The
 * pipeline writes by these keys, the API reads by them, and infra grants each function exactly these prefixes.
 */

/** The top-level areas (S3 key prefixes). On AWS landing, lake and the rest live in three buckets; locally in one folder. */
export const AREAS = {
  landing: 'landing/',
  manifests: 'landing/_manifests/',
  lake: 'lake/',
  quarantine: 'quarantine/',
  reports: 'reports/',
  ingestReports: 'reports/ingest/',
  recompute: 'reports/recompute/',
  config: 'config/',
} as const;

export type Area = keyof typeof AREAS;

/** The object-key pattern of an area, for an IAM resource (`lake/*`). */
export const areaObjects = (area: Area): string => `${AREAS[area]}*`;

export const lakePrefix = (table: string): string => `${AREAS.lake}${table}/`;
export const lakeKey = (table: string, dt: string): string => `${lakePrefix(table)}dt=${dt}/part-0.parquet`;
export const rejectsKey = (table: string, dt: string): string => `${AREAS.quarantine}${table}/dt=${dt}/rejects.csv`;
export const reportKey = (dt: string): string => `${AREAS.ingestReports}dt=${dt}.json`;
/** A night whose lake partitions changed after later nights were ingested: snapshots as of that night or later are stale. */
export const recomputeKey = (dt: string): string => `${AREAS.recompute}dt=${dt}.json`;

/** The columns of a quarantine file. */
export const REJECT_HEADER = ['source_file', 'line', 'field', 'code', 'reason_zh', 'reason_en', 'raw_record'] as const;

const DT_SEGMENT = /(?:^|\/)dt=(\d{4}-\d{2}-\d{2})(?:\/|\.json$)/;
/** The night a key belongs to (its `dt=YYYY-MM-DD` folder, or a report's `dt=YYYY-MM-DD.json`), if any. */
export const dtOf = (key: string): string | undefined => DT_SEGMENT.exec(key)?.[1];
/** A folder name `dt=YYYY-MM-DD` as its date, if it is one. */
export const dtFolder = (name: string): string | undefined => /^dt=(\d{4}-\d{2}-\d{2})$/.exec(name)?.[1];

/** Landing files are `landing/<table>/dt=<night>/<file>`: the table and night of one, if the key has that shape. */
export function landingPlace(key: string): { table: string; dt: string } | undefined {
  const m = /^landing\/([^/]+)\/dt=(\d{4}-\d{2}-\d{2})\/[^/]+$/.exec(key);
  return m ? { table: m[1]!, dt: m[2]! } : undefined;
}

/** The nights of a listing's keys, ascending, without repeats. */
export const nightsOf = (keys: Iterable<{ key: string }>): string[] => [...new Set([...keys].map((o) => dtOf(o.key)).filter((d): d is string => !!d))].sort();
