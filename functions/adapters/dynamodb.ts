/**
 * SnapshotStore on DynamoDB: the same code talks to AWS and, locally and in tests, to dynalite.
 * Key: pk = "<screen>#<scope>", sk = as-of date; the JSON body is stored as a string attribute.
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Snapshot, SnapshotStore } from '../ports.ts';

export function documentClient(config: DynamoDBClientConfig): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config));
}

/** Creates the snapshot table if it is missing (local runtime and tests; on AWS the CDK stack owns it). */
export async function ensureSnapshotTable(client: DynamoDBDocumentClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
    await client.send(new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    }));
  }
}

interface SnapshotItem {
  pk: string;
  sk: string;
  generatedAt: string;
  body: string;
}

const toSnapshot = (item: SnapshotItem): Snapshot => {
  const [screen, scope] = item.pk.split('#') as [string, string];
  return { screen, scope, asOf: item.sk, generatedAt: item.generatedAt, data: JSON.parse(item.body) };
};

export class DynamoSnapshotStore implements SnapshotStore {
  constructor(private readonly client: DynamoDBDocumentClient, private readonly tableName: string) {}

  async put(s: Snapshot): Promise<void> {
    const item: SnapshotItem = { pk: `${s.screen}#${s.scope}`, sk: s.asOf, generatedAt: s.generatedAt, body: JSON.stringify(s.data) };
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  async get(screen: string, scope: string, asOf: string): Promise<Snapshot | undefined> {
    const r = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `${screen}#${scope}`, sk: asOf }, ConsistentRead: true }));
    return r.Item ? toSnapshot(r.Item as SnapshotItem) : undefined;
  }

  async latest(screen: string, scope: string, atOrBefore?: string): Promise<Snapshot | undefined> {
    const r = await this.client.send(new QueryCommand({
      TableName: this.tableName,
      KeyConditionExpression: atOrBefore ? 'pk = :pk AND sk <= :d' : 'pk = :pk',
      ExpressionAttributeValues: atOrBefore ? { ':pk': `${screen}#${scope}`, ':d': atOrBefore } : { ':pk': `${screen}#${scope}` },
      ScanIndexForward: false,
      Limit: 1,
    }));
    const item = r.Items?.[0];
    return item ? toSnapshot(item as SnapshotItem) : undefined;
  }

  async listAsOf(screen: string, scope: string, limit: number): Promise<string[]> {
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
