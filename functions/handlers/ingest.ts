/**
 * Ingest Lambda: EventBridge delivers S3's "Object Created" for a night manifest (`landing/_manifests/dt=….json`);
 * the night's extracts are validated into the lake (S3) with DuckDB writing the Parquet in /tmp, and the reference
 * codes for the foreign-key checks read through Athena. A failure throws, so Lambda retries the event and then sends
 * it, with the error, to the dead-letter queue the stack alarms on.
 */
import { mkdirSync } from 'node:fs';
import type { EventBridgeEvent } from 'aws-lambda';
import { DuckDbEngine } from '../adapters/duckdb.ts';
import type { IngestDeps } from '../pipeline/ingest.ts';
import { ingestManifest } from '../pipeline/manifest.ts';
import { ingestDeps } from '../compose/root.ts';
import { athenaEngine, emitMetrics, s3Store, systemClock } from './aws-runtime.ts';

interface S3ObjectCreated {
  bucket: { name: string };
  object: { key: string; size?: number };
}

let deps: Promise<IngestDeps> | undefined;

async function open(): Promise<IngestDeps> {
  // Lambda's only writable folder is /tmp; DuckDB's home and spill files go there too.
  const scratchDir = '/tmp/opsdeck/scratch';
  const duckDir = '/tmp/opsdeck/duckdb';
  for (const dir of [scratchDir, duckDir]) mkdirSync(dir, { recursive: true });
  const writer = await DuckDbEngine.open({ tempDir: duckDir });
  return ingestDeps({ store: s3Store(), clock: systemClock() }, { writer, engine: athenaEngine({ timeoutMs: 120_000 }), scratchDir });
}

export async function handler(event: EventBridgeEvent<'Object Created', S3ObjectCreated>): Promise<{ dt: string; accepted: number; rejected: number }> {
  deps ??= open();
  const report = await ingestManifest(await deps, event.detail.object.key);
  emitMetrics(
    { NightsIngested: 1, FilesIngested: report.totals.files, RowsAccepted: report.totals.accepted, RowsRejected: report.totals.rejected, RowsDuplicate: report.totals.duplicates },
    { night: report.dt, manifest: event.detail.object.key, ignoredFiles: report.ignoredFiles.length },
  );
  return { dt: report.dt, accepted: report.totals.accepted, rejected: report.totals.rejected };
}
