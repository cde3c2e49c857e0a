/**
 * SnapshotStore on DynamoDB: the same code talks to AWS and, locally and in tests, to dynalite.
 * Key: pk = "<screen>#<scope>", sk = as-of date; the JSON body is stored as a string attribute.
 */
import { ConditionalCheckFailedException, CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { addDays } from '../domain/calendar.ts';
import { AlertConflictError, type AlertFilter, type AlertRecord, type AlertStore, type AuditEntry, type AuditLog, type AnySnapshot, type Snapshot, type SnapshotStore } from '../ports.ts';
import { outputJson } from '../domain/output-numbers.ts';
import type { ScreenId, SnapshotShapes } from '../domain/screens.ts';

export function documentClient(config: DynamoDBClientConfig): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config));
}

/** Creates a table if it is missing (local runtime and tests; on AWS the CDK stack owns the tables). */
async function ensureTable(client: DynamoDBDocumentClient, tableName: string, keys: { hash: string; range?: string }): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
    const names = [keys.hash, ...(keys.range ? [keys.range] : [])];
    await client.send(new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: names.map((n) => ({ AttributeName: n, AttributeType: 'S' })),
      KeySchema: [{ AttributeName: keys.hash, KeyType: 'HASH' }, ...(keys.range ? [{ AttributeName: keys.range, KeyType: 'RANGE' as const }] : [])],
    }));
  }
}

export const ensureSnapshotTable = (client: DynamoDBDocumentClient, tableName: string): Promise<void> => ensureTable(client, tableName, { hash: 'pk', range: 'sk' });
export const ensureAlertTable = (client: DynamoDBDocumentClient, tableName: string): Promise<void> => ensureTable(client, tableName, { hash: 'id' });

interface SnapshotItem {
  pk: string;
  sk: string;
  generatedAt: string;
  body: string;
}

/** A stored item as the snapshot of the screen asked for (its shape is checked by readers: it may be an older one). */
const toSnapshot = <S extends ScreenId>(screen: S, item: SnapshotItem): Snapshot<S> => {
  const scope = item.pk.slice(item.pk.indexOf('#') + 1);
  return { screen, scope, asOf: item.sk, generatedAt: item.generatedAt, data: JSON.parse(item.body) as SnapshotShapes[S] };
};

export class DynamoSnapshotStore implements SnapshotStore {
  constructor(private readonly client: DynamoDBDocumentClient, private readonly tableName: string) {}

  async put(s: AnySnapshot): Promise<void> {
    const item: SnapshotItem = { pk: `${s.screen}#${s.scope}`, sk: s.asOf, generatedAt: s.generatedAt, body: outputJson(s.data) };
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  async get<S extends ScreenId>(screen: S, scope: string, asOf: string): Promise<Snapshot<S> | undefined> {
    const r = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `${screen}#${scope}`, sk: asOf }, ConsistentRead: true }));
    return r.Item ? toSnapshot(screen, r.Item as SnapshotItem) : undefined;
  }

  async latest<S extends ScreenId>(screen: S, scope: string, atOrBefore?: string): Promise<Snapshot<S> | undefined> {
    const r = await this.client.send(new QueryCommand({
      TableName: this.tableName,
      KeyConditionExpression: atOrBefore ? 'pk = :pk AND sk <= :d' : 'pk = :pk',
      ExpressionAttributeValues: atOrBefore ? { ':pk': `${screen}#${scope}`, ':d': atOrBefore } : { ':pk': `${screen}#${scope}` },
      ScanIndexForward: false,
      Limit: 1,
    }));
    const item = r.Items?.[0];
    return item ? toSnapshot(screen, item as SnapshotItem) : undefined;
  }

  async listAsOf(screen: ScreenId, scope: string, limit: number): Promise<string[]> {
    const r = await this.client.send(new QueryCommand({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `${screen}#${scope}` },
      ProjectionExpression: 'sk',
      ScanIndexForward: false,
      Limit: limit,
    }));
    return (r.Items ?? []).map((i) => String(i.sk));
  }
}

/**
 * AlertStore on DynamoDB: one item per alert (key `id`), the record as a JSON string plus the attributes filters use.
 * Writes are conditional on the version read, so concurrent acknowledgements cannot overwrite each other.
 */
export class DynamoAlertStore implements AlertStore {
  constructor(private readonly client: DynamoDBDocumentClient, private readonly tableName: string) {}

  async get(id: string): Promise<AlertRecord | undefined> {
    const r = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }));
    return r.Item ? (JSON.parse(String(r.Item.doc)) as AlertRecord) : undefined;
  }

  async put(alert: AlertRecord, expectedVersion: number | null): Promise<void> {
    try {
      await this.client.send(new PutCommand({
        TableName: this.tableName,
        Item: {
          id: alert.id, version: alert.version, state: alert.state, severity: alert.severity, owner: alert.owner, ruleId: alert.ruleId,
          departmentId: alert.departmentId ?? '-', lastSeen: alert.lastSeen, doc: JSON.stringify(alert),
        },
        ConditionExpression: expectedVersion === null ? 'attribute_not_exists(id)' : '#v = :v',
        ...(expectedVersion === null ? {} : { ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': expectedVersion } }),
      }));
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) {
        throw new AlertConflictError(`预警 ${alert.id} 已被他人修改，请刷新后重试`, `Alert ${alert.id} was changed by someone else (expected version ${expectedVersion}): reload and try again`);
      }
      throw e;
    }
  }

  async list(filter: AlertFilter = {}): Promise<AlertRecord[]> {
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, string> = {};
    for (const [key, attr] of [['state', 'state'], ['severity', 'severity'], ['owner', 'owner'], ['departmentId', 'departmentId'], ['ruleId', 'ruleId']] as const) {
      const v = filter[key];
      if (v === undefined) continue;
      names[`#${attr}`] = attr;
      values[`:${attr}`] = v;
      conditions.push(`#${attr} = :${attr}`);
    }
    const out: AlertRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.client.send(new ScanCommand({
        TableName: this.tableName,
        ...(conditions.length ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names, ExpressionAttributeValues: values } : {}),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }));
      for (const item of r.Items ?? []) out.push(JSON.parse(String(item.doc)) as AlertRecord);
      start = r.LastEvaluatedKey;
    } while (start);
    return out;
  }
}

/** Six years, the retention of the audit records (DynamoDB's TTL removes them after). */
const AUDIT_RETENTION_SECONDS = 6 * 366 * 24 * 3600;

/**
 * AuditLog on DynamoDB: key day (YYYY-MM-DD, UTC) and `<at>#<random>`; `expiresAt` (epoch seconds) ends the record's
 * retention through the table's TTL. A day's records come back with one Query.
 */
export class DynamoAuditLog implements AuditLog {
  constructor(private readonly client: DynamoDBDocumentClient, private readonly tableName: string) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.client.send(new PutCommand({
      TableName: this.tableName,
      Item: { day: entry.at.slice(0, 10), at: `${entry.at}#${randomUUID()}`, expiresAt: Math.floor(Date.parse(entry.at) / 1000) + AUDIT_RETENTION_SECONDS, doc: JSON.stringify(entry) },
    }));
  }

  async list(from: string, to: string): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for (let day = from; day <= to; day = addDays(day, 1)) {
      let start: Record<string, unknown> | undefined;
      do {
        const r = await this.client.send(new QueryCommand({
          TableName: this.tableName, KeyConditionExpression: '#d = :d', ExpressionAttributeNames: { '#d': 'day' }, ExpressionAttributeValues: { ':d': day },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }));
        for (const item of r.Items ?? []) out.push(JSON.parse(String(item.doc)) as AuditEntry);
        start = r.LastEvaluatedKey;
      } while (start);
    }
    return out;
  }
}

export const ensureAuditTable = (client: DynamoDBDocumentClient, tableName: string): Promise<void> => ensureTable(client, tableName, { hash: 'day', range: 'at' });
