/**
 * API Gateway HTTP API → this Lambda → the same hono app the local server runs, wired to the AWS adapters: snapshots
 * and alerts in DynamoDB, reports and quarantine in S3, the explorers' queries on Athena. The rule sets and displays
 * are the shipped configuration files, bundled with the function.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import { handle } from 'hono/aws-lambda';
import { createApp } from '../api/app.ts';
import { AthenaEngine } from '../adapters/athena.ts';
import { documentClient, DynamoAlertStore, DynamoSnapshotStore } from '../adapters/dynamodb.ts';
import { S3ObjectStore } from '../adapters/s3.ts';
import { SystemClock } from '../adapters/system-clock.ts';
import { loadAlertCatalogue } from '../domain/alerts.ts';
import { parseDisplays } from '../domain/displays.ts';
import { parseDrgRules } from '../domain/drg.ts';
import alertRules from '../../data/alert-rules.json' with { type: 'json' };
import displays from '../../data/displays.json' with { type: 'json' };
import drgRules from '../../data/regions/harbin-2024/drg-rules.json' with { type: 'json' };

const required = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`环境变量 ${name} 未设置 / environment variable ${name} is not set`);
  return v;
};

const dynamo = documentClient({});
const timeZone = process.env.HOSPITAL_TIME_ZONE ?? 'Asia/Shanghai';
const app = createApp({
  snapshots: new DynamoSnapshotStore(dynamo, required('SNAPSHOT_TABLE')),
  alerts: new DynamoAlertStore(dynamo, required('ALERT_TABLE')),
  alertRules: loadAlertCatalogue(alertRules, 'data/alert-rules.json'),
  drgRules: parseDrgRules(drgRules, 'data/regions/harbin-2024/drg-rules.json'),
  displays: parseDisplays(displays, 'data/displays.json'),
  store: new S3ObjectStore({ client: new S3Client({}), buckets: { landing: required('LANDING_BUCKET'), lake: required('LAKE_BUCKET'), quarantine: required('OPS_BUCKET'), reports: required('OPS_BUCKET') } }),
  engine: new AthenaEngine({ client: new AthenaClient({}), workGroup: required('ATHENA_WORKGROUP'), database: required('GLUE_DATABASE'), reuseMinutes: 10, timeoutMs: 25_000 }),
  timeZone,
  snapshotCacheMs: 15_000,
  clock: new SystemClock(timeZone),
  version: process.env.OPSDECK_VERSION ?? 'dev',
});

export const handler = handle(app);
