/** The S3 ObjectStore against s3rver (an S3 API served in process): routing by prefix, round trips, listing pages, absence. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/s3.ts';

let dir: string;
let server: S3rver;
let client: S3Client;
let store: S3ObjectStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opsdeck-s3-'));
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: join(dir, 's3'), configureBuckets: [{ name: 'h-landing' }, { name: 'h-lake' }, { name: 'h-ops' }] });
  const { port } = await server.run();
  // s3rver stores streamed uploads corrupted unless checksums are only sent when required (TOOLCHAIN.md).
  client = new S3Client({ endpoint: `http://127.0.0.1:${port}`, region: 'cn-north-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  store = new S3ObjectStore({ client, buckets: { landing: 'h-landing', lake: 'h-lake', quarantine: 'h-ops', reports: 'h-ops' } });
});
afterAll(async () => {
  client?.destroy();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('S3 ObjectStore', () => {
  it('keeps each top-level prefix in its own bucket and round-trips bytes and text', async () => {
    const gb18030 = Uint8Array.from([0xc4, 0xda, 0xbf, 0xc6, 0x0d, 0x0a]); // 内科 in GB18030 with CRLF: bytes untouched
    await store.put('landing/departments/dt=2026-03-01/departments.csv', gb18030);
    await store.put('reports/ingest/dt=2026-03-01.json', '{"ok":true,"科室":"内科"}');
    expect(await store.get('landing/departments/dt=2026-03-01/departments.csv')).toEqual(gb18030);
    expect(new TextDecoder().decode(await store.get('reports/ingest/dt=2026-03-01.json'))).toBe('{"ok":true,"科室":"内科"}');
    expect(store.locate('lake/campuses/')).toBe('s3://h-lake/lake/campuses/');
    expect(store.bucketOf('quarantine/x')).toBe('h-ops');
    expect(() => store.bucketOf('scratch/x')).toThrow(/no bucket configured for "scratch\/"/);
    // The landing bucket has only the landing object.
    expect((await store.list('landing/')).map((o) => o.key)).toEqual(['landing/departments/dt=2026-03-01/departments.csv']);
  });

  it('answers undefined for a missing key, and deletes', async () => {
    expect(await store.get('lake/none/dt=2026-01-01/part-0.parquet')).toBeUndefined();
    await store.put('lake/x/dt=2026-01-01/part-0.parquet', 'x');
    await store.delete('lake/x/dt=2026-01-01/part-0.parquet');
    expect(await store.get('lake/x/dt=2026-01-01/part-0.parquet')).toBeUndefined();
  });

  it('uploads a local file and lists a prefix sorted, with sizes and times', async () => {
    const file = join(dir, 'part-0.parquet');
    writeFileSync(file, Buffer.alloc(70_000, 7));
    await store.putFile('lake/campuses/dt=2026-03-01/part-0.parquet', file);
    expect((await store.get('lake/campuses/dt=2026-03-01/part-0.parquet'))!.length).toBe(70_000);
    const keys = Array.from({ length: 23 }, (_, i) => `lake/many/dt=2026-01-${String(i + 1).padStart(2, '0')}/part-0.parquet`);
    for (const k of [...keys].reverse()) await store.put(k, 'p');
    const listed = await store.list('lake/many/');
    expect(listed.map((o) => o.key)).toEqual(keys);
    expect(listed.every((o) => o.size === 1 && !Number.isNaN(Date.parse(o.modifiedAt)))).toBe(true);
  });

  it('follows ListObjectsV2 continuation tokens (mocked: s3rver\'s tokens use a cipher Node 20 refuses)', async () => {
    const paged = new S3Client({ region: 'cn-north-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const mock = mockClient(paged);
    const obj = (k: string) => ({ Key: k, Size: 1, LastModified: new Date('2026-03-01T01:10:00Z') });
    mock.on(ListObjectsV2Command, { Bucket: 'h-lake', Prefix: 'lake/p/', MaxKeys: 2 }).resolvesOnce({ Contents: [obj('lake/p/b'), obj('lake/p/a')], IsTruncated: true, NextContinuationToken: 't1' });
    mock.on(ListObjectsV2Command, { Bucket: 'h-lake', Prefix: 'lake/p/', MaxKeys: 2, ContinuationToken: 't1' }).resolvesOnce({ Contents: [obj('lake/p/c')], IsTruncated: false });
    const listed = await new S3ObjectStore({ client: paged, buckets: { lake: 'h-lake' }, pageSize: 2 }).list('lake/p/');
    expect(listed).toEqual(['lake/p/a', 'lake/p/b', 'lake/p/c'].map((key) => ({ key, size: 1, modifiedAt: '2026-03-01T01:10:00.000Z' })));
    expect(mock.commandCalls(ListObjectsV2Command)).toHaveLength(2);
    mock.restore();
  });
});
