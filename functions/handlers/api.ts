/**
 * API Gateway HTTP API → this Lambda → the same hono app the local server runs, wired to the AWS adapters: snapshots
 * and alerts in DynamoDB, reports and quarantine in S3, the explorers' queries on Athena. The configuration is the
 * shipped JSON with the hospital's files from `config/` in the operations bucket, read when the function starts.
 */
import { handle } from 'hono/aws-lambda';
import { createApp, SERVING_CACHE } from '../api/app.ts';
import { CognitoClaimsAuthenticator } from '../adapters/cognito-claims.ts';
import { athenaEngine, auditLog, dynamoStores, hospitalTimeZone, loadHospitalConfig, s3Store, systemClock } from './aws-runtime.ts';

const store = s3Store();
const config = await loadHospitalConfig(store);
const app = createApp({
  ...dynamoStores(),
  alertRules: config.alertRules,
  drgRules: config.drgRules,
  displays: config.displays,
  targets: config.targets,
  store,
  // Explorer queries are read-only over a lake that changes once a night: identical queries may reuse a result for 10 minutes.
  engine: athenaEngine({ reuseMinutes: 10, timeoutMs: 25_000 }),
  timeZone: hospitalTimeZone(),
  // An acknowledgement forgets this container's alert lists at once; another warm container's within alertCacheMs.
  ...SERVING_CACHE,
  clock: systemClock(),
  version: process.env.OPSDECK_VERSION ?? 'dev',
  // API Gateway's JWT authorizer has verified the Cognito token; the app reads its claims and decides every route.
  access: { authenticator: new CognitoClaimsAuthenticator(), roles: config.roles, audit: auditLog() },
});

export const handler = handle(app);
