/**
 * ObjectStore on Amazon S3. The store's keys keep their layout (`landing/…`, `lake/…`, `quarantine/…`, `reports/…`);
 * the first segment picks the bucket, so that landing, lake and quarantine/reports can live in buckets with their own
 * retention and access. S3 writes are atomic per object, as the port requires.
 */
import { readFile } from 'node:fs/promises';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectInfo, ObjectStore } from '../ports.ts';

export interface S3StoreOptions {
  client: S3Client;
  /** Bucket per top-level prefix (e.g. { landing: 'x-landing', lake: 'x-lake', quarantine: 'x-ops', reports: 'x-ops' }); `*` for the rest. */
  buckets: Record<string, string>;
  /** Keys per ListObjectsV2 page (S3's default, 1,000, when unset). */
  pageSize?: number;
}

export class S3ObjectStore implements ObjectStore {
  constructor(private readonly o: S3StoreOptions) {}

  /** The bucket holding `key` (its first path segment decides). */
  bucketOf(key: string): string {
    const top = key.split('/')[0] ?? '';
    const bucket = this.o.buckets[top] ?? this.o.buckets['*'];
    if (!bucket) throw new Error(`没有为 "${top}/" 配置存储桶 / no bucket configured for "${top}/" (configured: ${Object.keys(this.o.buckets).join(', ')})`);
    return bucket;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const r = await this.o.client.send(new GetObjectCommand({ Bucket: this.bucketOf(key), Key: key }));
      return r.Body ? await r.Body.transformToByteArray() : new Uint8Array();
    } catch (e) {
      if (e instanceof NoSuchKey || (e as { name?: string }).name === 'NoSuchKey') return undefined;
      throw e;
    }
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    await this.o.client.send(new PutObjectCommand({ Bucket: this.bucketOf(key), Key: key, Body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body }));
  }

  async putFile(key: string, localPath: string): Promise<void> {
    // Lake partitions are tens of MB at most: read whole, so the SDK knows the length and checksums the bytes it sends.
    await this.put(key, await readFile(localPath));
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    let token: string | undefined;
    do {
      const r = await this.o.client.send(new ListObjectsV2Command({ Bucket: this.bucketOf(prefix), Prefix: prefix, ...(this.o.pageSize ? { MaxKeys: this.o.pageSize } : {}), ...(token ? { ContinuationToken: token } : {}) }));
      for (const o of r.Contents ?? []) if (o.Key) out.push({ key: o.Key, size: o.Size ?? 0, modifiedAt: (o.LastModified ?? new Date(0)).toISOString() });
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    await this.o.client.send(new DeleteObjectCommand({ Bucket: this.bucketOf(key), Key: key }));
  }

  locate(prefix: string): string {
    return `s3://${this.bucketOf(prefix)}/${prefix}`;
  }
}
