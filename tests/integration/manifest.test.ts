/** A night's manifest starts its ingest on AWS: the key names the night, listed files must all be there with their sizes. */
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkManifest, eventKey, ingestManifest, ManifestError, manifestKey, manifestNight } from '../../functions/pipeline/manifest.ts';
import { referenceLake, withIngestDeps, CORPUS } from '../support/corpus.ts';
import { LocalFolderStore } from '../../functions/adapters/local-folder.ts';

let root: string;
let store: LocalFolderStore;
const VISITS = 'outpatient_visits/dt=2026-03-10/visits.csv';

beforeAll(async () => {
  root = await referenceLake();
  store = new LocalFolderStore(root);
  mkdirSync(join(root, 'landing', 'outpatient_visits', 'dt=2026-03-10'), { recursive: true });
  copyFileSync(join(CORPUS, '01-good-utf8-lf', VISITS), join(root, 'landing', VISITS));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const message = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ManifestError);
    return (e as Error).message;
  }
  throw new Error('expected a ManifestError');
};

describe('night manifest', () => {
  it('names its night in the key, and refuses other keys', () => {
    expect(manifestKey('2026-03-10')).toBe('landing/_manifests/dt=2026-03-10.json');
    expect(manifestNight('landing/_manifests/dt=2026-03-10.json')).toBe('2026-03-10');
    expect(() => manifestNight('landing/_manifests/dt=2026-02-30.json')).toThrow(/not a night manifest/);
    expect(() => manifestNight('landing/outpatient_visits/dt=2026-03-10/visits.csv')).toThrow(/expected landing\/_manifests\/dt=YYYY-MM-DD\.json/);
    // S3 notifications URL-encode keys; EventBridge events do not.
    expect(eventKey('landing/_manifests/dt%3D2026-03-10.json')).toBe('landing/_manifests/dt=2026-03-10.json');
    expect(eventKey('landing/_manifests/dt=2026-03-10.json')).toBe('landing/_manifests/dt=2026-03-10.json');
  });

  it('holds the night back while a listed file is missing or of another size, naming each', async () => {
    const size = statSync(join(root, 'landing', VISITS)).size;
    await store.put(manifestKey('2026-03-10'), JSON.stringify({
      night: '2026-03-10',
      files: [{ key: VISITS, bytes: size + 1 }, { key: 'inpatient_cases/dt=2026-03-10/cases.csv' }],
    }));
    const text = await message(checkManifest(store, manifestKey('2026-03-10')));
    expect(text).toContain(`${VISITS}: 大小 ${size} 字节，清单为 ${size + 1} / ${size} bytes, the manifest says ${size + 1}`);
    expect(text).toContain('inpatient_cases/dt=2026-03-10/cases.csv: 缺失 / missing');
    expect(text).toContain('the delivery is incomplete, not ingested yet');
    // Nothing was ingested for the night.
    expect(await store.get('reports/ingest/dt=2026-03-10.json')).toBeUndefined();
  });

  it('refuses a malformed manifest with the field named, and a night that contradicts the key', async () => {
    await store.put(manifestKey('2026-03-11'), JSON.stringify({ files: [{ key: '../../etc/passwd' }] }));
    expect(await message(checkManifest(store, manifestKey('2026-03-11')))).toMatch(/manifest landing\/_manifests\/dt=2026-03-11\.json is malformed: files\.0\.key: expected <table>\/dt=YYYY-MM-DD\/<file>/);
    await store.put(manifestKey('2026-03-11'), JSON.stringify({ night: '2026-03-12' }));
    expect(await message(checkManifest(store, manifestKey('2026-03-11')))).toContain('field night is 2026-03-12, its key says 2026-03-11');
    await store.put(manifestKey('2026-03-11'), '{"files": [');
    expect(await message(checkManifest(store, manifestKey('2026-03-11')))).toContain('is not valid UTF-8 JSON');
    await store.put(manifestKey('2026-03-11'), JSON.stringify({ files: [{ key: VISITS }] }));
    expect(await message(checkManifest(store, manifestKey('2026-03-11')))).toContain(`${VISITS}: 不属于 2026-03-11 / not of night 2026-03-11`);
    expect(await message(checkManifest(store, manifestKey('2026-03-13')))).toContain('does not exist');
  });

  it('ingests the night once it is whole; the manifest folder is not read as a table', async () => {
    await store.put(manifestKey('2026-03-10'), JSON.stringify({ night: '2026-03-10', files: [{ key: VISITS, bytes: statSync(join(root, 'landing', VISITS)).size }], source: 'HIS nightly export' }));
    const report = await withIngestDeps(root, (deps) => ingestManifest(deps, 'landing/_manifests/dt%3D2026-03-10.json'));
    expect(report.dt).toBe('2026-03-10');
    // The corpus case 01 file: 3 visits, all accepted (tests/fixtures/ingest-corpus/01-good-utf8-lf/case.json).
    expect(report.tables.map((t) => t.table)).toEqual(['outpatient_visits']);
    expect(report.totals).toMatchObject({ files: 1, rowsRead: 3, accepted: 3, rejected: 0 });
    expect(report.ignoredFiles).toEqual([]);
    expect(await store.get('lake/outpatient_visits/dt=2026-03-10/part-0.parquet')).toBeDefined();
    // A manifest with no list is a bare "complete" mark.
    await store.put(manifestKey('2026-03-10'), '');
    expect((await checkManifest(store, manifestKey('2026-03-10'))).dt).toBe('2026-03-10');
  });
});
