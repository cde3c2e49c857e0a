/** API Gateway HTTP API → this Lambda → the same hono app the local server runs. */
import { handle } from 'hono/aws-lambda';
import { createApp } from '../api/app.ts';
import { documentClient, DynamoSnapshotStore } from '../adapters/dynamodb.ts';
import { SystemClock } from '../adapters/system-clock.ts';

const required = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`环境变量 ${name} 未设置 / environment variable ${name} is not set`);
  return v;
};

const app = createApp({
  snapshots: new DynamoSnapshotStore(documentClient({}), required('SNAPSHOT_TABLE')),
  clock: new SystemClock(process.env.HOSPITAL_TIME_ZONE),
  version: process.env.OPSDECK_VERSION ?? 'dev',
});

export const handler = handle(app);
