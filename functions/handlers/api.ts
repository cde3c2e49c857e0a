/**
 * API Gateway HTTP API → this Lambda → the same hono app the local server runs, wired by the composition root to the
 * AWS adapters: snapshots and alerts in DynamoDB, reports and quarantine in S3, the explorers' queries on Athena. The
 * configuration is the shipped JSON with the hospital's files from `config/` in the operations bucket, read when the
 * function starts.
 */
import { handle } from 'hono/aws-lambda';
import { createApp } from '../api/app.ts';
import { CognitoClaimsAuthenticator } from '../adapters/cognito-claims.ts';
import { compose } from '../compose/root.ts';
import { athenaEngine, awsAdapters, s3Store } from './aws-runtime.ts';

// API Gateway's JWT authorizer has verified the Cognito token; the app reads its claims and decides every route.
const root = await compose(awsAdapters(s3Store(), { authenticator: new CognitoClaimsAuthenticator() }));
// Explorer queries are read-only over a lake that changes once a night: identical queries may reuse a result for 10 minutes.
const app = createApp(root.api(athenaEngine({ reuseMinutes: 10, timeoutMs: 25_000 }), process.env.OPSDECK_VERSION ?? 'dev'));

export const handler = handle(app);
