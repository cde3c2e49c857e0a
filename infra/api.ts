/**
 * The API: an HTTP API whose every route but health needs a JWT from the hospital's user pool (auth.ts), in front of
 * the API function (the same hono app as `npm start`). Access logs, throttling, CORS for the configured origins only.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Auth } from './auth.ts';
import { OpsDeckFunction } from './functions.ts';
import { ack, objectWildcard } from './nag.ts';
import { areaObjects } from '../functions/lake/layout.ts';
import type { PipelineProps } from './pipeline.ts';

export interface ApiProps extends PipelineProps {
  auth: Auth;
}

export class Api extends Construct {
  readonly userPool: cognito.UserPool;
  readonly webClient: cognito.UserPoolClient;
  readonly httpApi: apigw.HttpApi;
  readonly handler: OpsDeckFunction;

  constructor(scope: Construct, id: string, p: ApiProps) {
    super(scope, id);
    const { lake, state } = p;

    this.userPool = p.auth.userPool;
    this.webClient = p.auth.webClient;

    this.handler = new OpsDeckFunction(this, 'Handler', {
      key: lake.key, vpc: p.vpc, securityGroup: p.securityGroup, logRetention: p.logRetention, environment: p.environment,
      entry: 'api.ts',
      description: 'OpsDeck API: screen snapshots, alerts, data quality, the explorers (Athena)',
      architecture: lambda.Architecture.ARM_64,
      memorySize: 1024,
      timeout: Duration.seconds(29),
      reservedConcurrency: 50,
      statements: [
        ...lake.queryStatements(),
        new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [state.snapshots.tableArn] }),
        new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan'], resources: [state.alerts.tableArn] }),
        // Audit records are added and read, never changed or deleted by the API.
        new iam.PolicyStatement({ actions: ['dynamodb:PutItem', 'dynamodb:Query'], resources: [state.audit.tableArn] }),
        new iam.PolicyStatement({ actions: ['kms:Encrypt'], resources: [lake.key.keyArn] }),
      ],
    });
    lake.grantApi(this.handler);
    ack(this.handler, objectWildcard(lake.lake, areaObjects('lake')), 'Athena reads the lake with the caller\'s permissions for the explorers\' queries: every table\'s partitions, lake/<table>/dt=<night>/.');
    ack(this.handler, objectWildcard(lake.results, 'athena/*'), 'Athena writes each query\'s result under athena/ in the results bucket with a name it chooses; the caller reads it back.');

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: p.logRetention, encryptionKey: lake.key });
    const issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
    const authorizer = new HttpJwtAuthorizer('Cognito', issuer, { jwtAudience: [this.webClient.userPoolClientId], identitySource: ['$request.header.Authorization'] });
    this.httpApi = new apigw.HttpApi(this, 'Http', {
      description: 'OpsDeck API',
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
      corsPreflight: p.config.allowedOrigins.length ? {
        allowOrigins: p.config.allowedOrigins,
        allowMethods: [apigw.CorsHttpMethod.GET, apigw.CorsHttpMethod.POST, apigw.CorsHttpMethod.OPTIONS],
        allowHeaders: ['authorization', 'content-type', 'if-none-match'],
        exposeHeaders: ['etag'],
        maxAge: Duration.hours(1),
      } : undefined,
    });
    const integration = new HttpLambdaIntegration('Hono', this.handler.fn, { payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0 });
    this.httpApi.addRoutes({ path: '/api/{proxy+}', methods: [apigw.HttpMethod.GET, apigw.HttpMethod.POST], integration });
    const [health] = this.httpApi.addRoutes({ path: '/api/health', methods: [apigw.HttpMethod.GET], integration, authorizer: new apigw.HttpNoneAuthorizer() });
    ack(health!, 'AwsSolutions-APIG4', 'The health check answers version and status only, no hospital data: load balancers and uptime monitors call it without a token.');
    new apigw.HttpStage(this, 'Stage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify({
          requestId: '$context.requestId', ip: '$context.identity.sourceIp', time: '$context.requestTime', method: '$context.httpMethod', path: '$context.path',
          status: '$context.status', latencyMs: '$context.responseLatency', sub: '$context.authorizer.claims.sub', error: '$context.error.message', integrationError: '$context.integrationErrorMessage',
        })),
      },
    });

    p.monitoring.whenAbove('ApiErrors', `API 5xx 错误 / the API answered with server errors — see log group ${this.handler.logGroup.logGroupName}`,
      new cloudwatch.Metric({ namespace: 'AWS/ApiGateway', metricName: '5xx', dimensionsMap: { ApiId: this.httpApi.apiId, Stage: '$default' }, statistic: 'Sum', period: Duration.minutes(5) }), 5);
    p.monitoring.whenAbove('ApiThrottles', 'API 函数被限流 / the API function is throttled at its reserved concurrency — raise it or look for a runaway client',
      this.handler.fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }));
  }
}
