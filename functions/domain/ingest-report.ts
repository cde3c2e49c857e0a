/** What ingest records for each night: the input of the data-quality assessment, the quality screen and the freshness panels. */
import type { ReasonCode } from './row-validation.ts';

export interface FileProblem {
  code: ReasonCode | 'truncated';
  zh: string;
  en: string;
  line?: number;
}

export interface FileReport {
  key: string;
  bytes: number;
  /** Arrival time (object modification time); with key and size, the fingerprint that tells a re-delivery. */
  modifiedAt: string;
  sha256: string;
  encoding?: 'utf-8' | 'utf-8-bom' | 'gb18030';
  rowsRead: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  /** Minutes after the delivery deadline (0 when on time; absent for reference data, which has none). */
  lateMinutes?: number;
  /** Set when the whole file was refused (undecodable, wrong header, broken quoting, empty). */
  refused?: FileProblem;
  /** Problems that did not refuse the file, e.g. a last record cut off mid-way. */
  warnings?: FileProblem[];
}

export interface TableReport {
  table: string;
  files: FileReport[];
  rowsWritten: number;
  /** Why the lake partition was left as it was, if it was. */
  partitionKept?: { zh: string; en: string };
  /** The writer refused the accepted rows (see LakeWriteRefused): nothing of this table was written tonight. */
  writeRefused?: boolean;
  /** Whether the lake partition differs from the one the night's previous report recorded (or there was none). */
  partitionChanged: boolean;
  /** sha256 of the lake partition as this run left it. */
  lakeSha256?: string;
  /** Counts by `field:code`, e.g. `department_id:unknown_reference`. */
  rejectReasons: Record<string, number>;
  /** Reference partitions the foreign keys were checked against, and referenced tables not yet delivered (unchecked). */
  referencesUsed: string[];
  referencesSkipped: string[];
  /** Skipped tables whose first version is dated after this night (table → date): the codes could have been checked, had it been dated earlier. */
  referencesFirstLater?: Record<string, string>;
}

export interface NightReport {
  dt: string;
  contractVersion: string;
  startedAt: string;
  finishedAt: string;
  tables: TableReport[];
  totals: { files: number; rowsRead: number; accepted: number; rejected: number; duplicates: number };
  /** Landing files that were not read: not a CSV, or in a folder that is not a contract table. */
  ignoredFiles: { key: string; zh: string; en: string }[];
  /** Set when this night had been ingested before: what the earlier run saw. */
  previous?: { finishedAt: string; files: number; rowsRead: number };
}


/** One quarantined row as the quality screen shows it. */
export interface RejectRow {
  sourceFile: string;
  line: number;
  field: string;
  code: string;
  reasonZh: string;
  reasonEn: string;
  raw: string;
}

