/**
 * The AWS adapters every Lambda builds from its environment (set by the CDK stack): S3 buckets by key prefix, Athena
 * over the Glue catalogue, DynamoDB tables, the hospital's clock, and the hospital's configuration (shipped JSON
 * bundled with the function, replaced by `config/<name>` in the operations bucket: pipeline/hospital-config.ts).
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import { AthenaEngine } from '../adapters/athena.ts';
import { documentClient, DynamoAlertStore, DynamoAuditLog, DynamoSnapshotStore } from '../adapters/dynamodb.ts';
import { S3ObjectStore } from '../adapters/s3.ts';
import { SystemClock } from '../adapters/system-clock.ts';
import type { Authenticator, ObjectStore } from '../ports.ts';
import type { Adapters } from '../compose/root.ts';

export function required(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const v = env[name];
  if (!v) throw new Error(`环境变量 ${name} 未设置 / environment variable ${name} is not set`);
  return v;
}

export const hospitalTimeZone = (env: NodeJS.ProcessEnv = process.env): string => env.HOSPITAL_TIME_ZONE ?? 'Asia/Shanghai';

/**
 * S3-compatible stores other than AWS (set with AWS_ENDPOINT_URL_S3: MinIO, s3rver in the tests) take path-style
 * requests, and not all of them compute the newer checksums.
 */
export function s3Client(env: NodeJS.ProcessEnv = process.env): S3Client {
  const custom = Boolean(env.AWS_ENDPOINT_URL_S3);
  return new S3Client(custom ? { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {});
}

export function s3Store(env: NodeJS.ProcessEnv = process.env, client = s3Client(env)): S3ObjectStore {
  const ops = required('OPS_BUCKET', env);
  return new S3ObjectStore({ client, buckets: { landing: required('LANDING_BUCKET', env), lake: required('LAKE_BUCKET', env), quarantine: ops, reports: ops, config: ops } });
}

export function athenaEngine(options: { timeoutMs: number; reuseMinutes?: number }, env: NodeJS.ProcessEnv = process.env): AthenaEngine {
  return new AthenaEngine({ client: new AthenaClient({}), workGroup: required('ATHENA_WORKGROUP', env), database: required('GLUE_DATABASE', env), ...options });
}

export function dynamoStores(env: NodeJS.ProcessEnv = process.env): { snapshots: DynamoSnapshotStore; alerts: DynamoAlertStore } {
  const dynamo = documentClient({});
  return { snapshots: new DynamoSnapshotStore(dynamo, required('SNAPSHOT_TABLE', env)), alerts: new DynamoAlertStore(dynamo, required('ALERT_TABLE', env)) };
}

export const auditLog = (env: NodeJS.ProcessEnv = process.env): DynamoAuditLog => new DynamoAuditLog(documentClient({}), required('AUDIT_TABLE', env));

export const systemClock = (env: NodeJS.ProcessEnv = process.env): SystemClock => new SystemClock(hospitalTimeZone(env));

/**
 * The AWS adapters for the composition root (functions/compose/root.ts), which reads the hospital's configuration
 * (config/<name> in the ops bucket over the shipped JSON, the region's DRG rules included) and wires each function.
 */
export function awsAdapters(store: ObjectStore, people?: { authenticator: Authenticator }, env: NodeJS.ProcessEnv = process.env): Adapters {
  return {
    store, ...dynamoStores(env), clock: systemClock(env), timeZone: hospitalTimeZone(env),
    ...(people ? { authenticator: people.authenticator, audit: auditLog(env) } : {}),
  };
}

/**
 * One line of CloudWatch embedded metric format: the figures become metrics in `OpsDeck` (the stack's alarms watch
 * them) and stay searchable in the function's log.
 */
export function emitMetrics(metrics: Record<string, number>, properties: Record<string, unknown> = {}, now = Date.now(), env: NodeJS.ProcessEnv = process.env): string {
  const line = JSON.stringify({
    // One deployment's metrics apart from another's in the same account (the stack name).
    _aws: { Timestamp: now, CloudWatchMetrics: [{ Namespace: 'OpsDeck', Dimensions: [['Deployment']], Metrics: Object.keys(metrics).map((Name) => ({ Name, Unit: 'Count' })) }] },
    Deployment: env.OPSDECK_DEPLOYMENT ?? 'local',
    ...properties,
    ...metrics,
  });
  console.log(line);
  return line;
}
