/**
 * A night's delivery manifest: the hospital's uploader writes `landing/_manifests/dt=YYYY-MM-DD.json` after the
 * night's extracts, which says "this night is complete" and starts the ingest on AWS (an S3 event). The manifest may
 * list the files it delivered; a listed file that is missing or of another size means the upload is incomplete, and
 * the night is not ingested until it is whole (the event is retried, then dead-lettered with the reason).
 *
 * The manifest folder does not match the landing layout (`landing/<table>/dt=…/<file>`), so ingest never reads it
 * as a table.
 */
import { z } from 'zod';
import { isIsoDate } from '../domain/calendar.ts';
import { zodProblems } from '../domain/config-errors.ts';
import type { ObjectStore } from '../ports.ts';
import { ingestNight, type IngestDeps, type NightReport } from './ingest.ts';
import { AREAS } from '../lake/layout.ts';

export const MANIFEST_PREFIX = AREAS.manifests;
const MANIFEST_KEY = /^landing\/_manifests\/dt=(\d{4}-\d{2}-\d{2})\.json$/;

export const manifestKey = (dt: string): string => `${MANIFEST_PREFIX}dt=${dt}.json`;

const manifestSchema = z.strictObject({
  night: z.string().refine(isIsoDate, { message: 'not a date YYYY-MM-DD' }).optional(),
  /** Keys under landing/, e.g. `his_visits/dt=2026-03-31/visits.csv`. */
  files: z.array(z.strictObject({
    key: z.string().regex(/^[a-z0-9_]+\/dt=\d{4}-\d{2}-\d{2}\/[^/]+$/, 'expected <table>/dt=YYYY-MM-DD/<file>'),
    bytes: z.number().int().nonnegative().optional(),
  })).optional(),
  /** Free text from the uploader (system, operator). */
  source: z.string().max(200).optional(),
});
export type Manifest = z.infer<typeof manifestSchema>;

export class ManifestError extends Error {}

/** The night a manifest key announces, or an error naming the key. */
export function manifestNight(key: string): string {
  const m = MANIFEST_KEY.exec(key);
  if (!m || !isIsoDate(m[1]!)) {
    throw new ManifestError(`不是夜间清单文件 ${key}（应为 ${MANIFEST_PREFIX}dt=YYYY-MM-DD.json） / ${key} is not a night manifest (expected ${MANIFEST_PREFIX}dt=YYYY-MM-DD.json)`);
  }
  return m[1]!;
}

/**
 * Reads the manifest at `key` and checks the landing files it lists are all there, with their sizes.
 * Returns the night; throws a ManifestError naming the manifest and every missing or mismatched file.
 */
export async function checkManifest(store: ObjectStore, key: string): Promise<{ dt: string; manifest: Manifest }> {
  const dt = manifestNight(key);
  const bytes = await store.get(key);
  if (!bytes) throw new ManifestError(`清单 ${key} 不存在 / manifest ${key} does not exist`);
  let json: unknown;
  try {
    json = bytes.length === 0 ? {} : JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new ManifestError(`清单 ${key} 不是有效的 UTF-8 JSON / manifest ${key} is not valid UTF-8 JSON: ${(e as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new ManifestError(`清单 ${key} 格式错误 / manifest ${key} is malformed: ${zodProblems(parsed.error)}`);
  const manifest = parsed.data;
  if (manifest.night !== undefined && manifest.night !== dt) {
    throw new ManifestError(`清单 ${key} 的 night 字段为 ${manifest.night}，与文件名中的 ${dt} 不符 / manifest ${key}: field night is ${manifest.night}, its key says ${dt}`);
  }
  if (manifest.files?.length) {
    const present = new Map<string, number>();
    for (const folder of new Set(manifest.files.map((f) => f.key.slice(0, f.key.lastIndexOf('/') + 1)))) {
      for (const o of await store.list(`${AREAS.landing}${folder}`)) present.set(o.key.slice(AREAS.landing.length), o.size);
    }
    const problems: string[] = [];
    for (const f of manifest.files) {
      const size = present.get(f.key);
      if (!f.key.includes(`/dt=${dt}/`)) problems.push(`${f.key}: 不属于 ${dt} / not of night ${dt}`);
      else if (size === undefined) problems.push(`${f.key}: 缺失 / missing`);
      else if (f.bytes !== undefined && f.bytes !== size) problems.push(`${f.key}: 大小 ${size} 字节，清单为 ${f.bytes} / ${size} bytes, the manifest says ${f.bytes}`);
    }
    if (problems.length) throw new ManifestError(`清单 ${key} 所列文件未到齐，暂不导入 / manifest ${key}: the delivery is incomplete, not ingested yet — ${problems.join('; ')}`);
  }
  return { dt, manifest };
}

/** An S3 object key as events carry it: S3 notifications URL-encode keys (`dt%3D…`), EventBridge events do not. */
export function eventKey(key: string): string {
  return MANIFEST_KEY.test(key) ? key : decodeURIComponent(key.replace(/\+/g, ' '));
}

/** Ingests the night a manifest announces, once its listed files are all there. */
export async function ingestManifest(deps: IngestDeps, key: string): Promise<NightReport> {
  const { dt } = await checkManifest(deps.store, eventKey(key));
  return ingestNight(deps, dt);
}
