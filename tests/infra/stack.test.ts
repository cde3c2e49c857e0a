/**
 * The CDK stack as a hospital's cloud team would review it: template assertions per construct (encryption, public
 * access, TLS, PITR, partition projection, scan cutoff, schedule time zone, JWT on every route but health…) and
 * cdk-nag's AwsSolutions and HIPAA Security packs with no unacknowledged finding and no acknowledgement left over.
 * Asset bundling is skipped here (`aws:cdk:bundling-stacks`); tests/infra/cdk-cli.test.ts runs the real `cdk synth`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../functions/domain/contract.ts';
import { parseRoles } from '../../functions/domain/roles.ts';
import rolesFile from '../../data/roles.json' with { type: 'json' };
import { readDeployConfig } from '../../infra/config.ts';
import { ACKNOWLEDGED, withoutAcknowledgements } from '../../infra/nag.ts';
import { OpsDeckStack } from '../../infra/stack.ts';

const CDK_CONTEXT = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
let webDist: string;
let outRoot: string;

function build(extra: Record<string, unknown> = {}, id = 'OpsDeck'): { app: App; stack: OpsDeckStack; template: Template } {
  const app = new App({ outdir: mkdtempSync(join(outRoot, 'out-')), context: { ...CDK_CONTEXT, adminEmail: 'it-ops@hospital.example', 'aws:cdk:bundling-stacks': [], ...extra } });
  const stack = new OpsDeckStack(app, id, { config: readDeployConfig((k) => app.node.tryGetContext(k)), webDist });
  return { app, stack, template: Template.fromStack(stack) };
}

let t: Template;
let stack: OpsDeckStack;
beforeAll(() => {
  outRoot = mkdtempSync(join(tmpdir(), 'opsdeck-cdk-'));
  webDist = join(outRoot, 'web');
  mkdirSync(join(webDist, 'assets'), { recursive: true });
  writeFileSync(join(webDist, 'index.html'), '<!doctype html><script type="module" src="/assets/index.js"></script>');
  writeFileSync(join(webDist, 'assets', 'index.js'), 'console.log(1)');
  ({ template: t, stack } = build());
});
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

const resources = (type: string) => Object.values(t.findResources(type)) as { Properties: Record<string, any>; DeletionPolicy?: string }[];
const ref = (construct: { node: { defaultChild?: unknown } }) => (stack.resolve((construct.node.defaultChild as { ref: string }).ref) as { Ref: string }).Ref;

describe('lake: buckets, key, catalogue, workgroup', () => {
  it('encrypts every data bucket with the rotated key, blocks public access, needs TLS 1.2, versions and retains', () => {
    const key = resources('AWS::KMS::Key');
    expect(key).toHaveLength(1);
    expect(key[0]!.Properties).toMatchObject({ EnableKeyRotation: true, RotationPeriodInDays: 365 });
    const buckets = resources('AWS::S3::Bucket');
    expect(buckets).toHaveLength(6); // access logs, landing, lake, ops, Athena results, site
    for (const b of buckets) {
      expect(b.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(b.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(b.DeletionPolicy).toBe('Retain');
    }
    const kms = buckets.filter((b) => b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm === 'aws:kms');
    expect(kms).toHaveLength(4); // landing, lake, ops, results; the access-log and site buckets hold no lake data
    for (const b of kms) expect(b.Properties.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: ref(stack.lake.accessLogs) });
    // Every bucket policy refuses plain HTTP and TLS below 1.2.
    const policies = resources('AWS::S3::BucketPolicy');
    expect(policies).toHaveLength(6);
    for (const p of policies) {
      const deny = p.Properties.PolicyDocument.Statement.filter((s: any) => s.Effect === 'Deny');
      expect(deny).toEqual(expect.arrayContaining([
        expect.objectContaining({ Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        expect.objectContaining({ Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
      ]));
    }
  });

  it('keeps raw extracts for the configured period, expires query results after a week, and tells EventBridge of new objects', () => {
    const landing = t.toJSON().Resources[ref(stack.lake.landing)].Properties;
    expect(landing.LifecycleConfiguration.Rules[0]).toMatchObject({ ExpirationInDays: 3650, Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }] });
    expect(landing.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    const results = t.toJSON().Resources[ref(stack.lake.results)].Properties;
    expect(results.LifecycleConfiguration.Rules[0]).toMatchObject({ ExpirationInDays: 7 });
    const shorter = build({ rawRetentionDays: 1825 }, 'Short').template.toJSON().Resources;
    expect(Object.values(shorter).some((r: any) => r.Properties?.LifecycleConfiguration?.Rules?.[0]?.ExpirationInDays === 1825)).toBe(true);
  });

  it('has one Glue table per contract table, Parquet, with partition projection on dt', () => {
    const tables = resources('AWS::Glue::Table');
    expect(tables.map((x) => x.Properties.TableInput.Name).sort()).toEqual(TABLES.map((x) => x.name).sort());
    for (const x of tables) {
      const input = x.Properties.TableInput;
      expect(input.Parameters).toMatchObject({ 'projection.enabled': 'true', 'projection.dt.type': 'date', 'projection.dt.format': 'yyyy-MM-dd', classification: 'parquet' });
      expect(input.PartitionKeys).toEqual([expect.objectContaining({ Name: 'dt', Type: 'string' })]);
      expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    }
  });

  it('runs Athena engine 3 in an enforced workgroup with encrypted results, metrics and a per-query scan cutoff', () => {
    t.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_KMS' } },
      },
    });
  });
});

describe('state', () => {
  it('has the three tables encrypted with the key, with point-in-time recovery, deletion protection and daily backups; audit records expire by TTL', () => {
    const tables = resources('AWS::DynamoDB::Table');
    expect(tables).toHaveLength(3);
    for (const x of tables) {
      expect(x.Properties).toMatchObject({ BillingMode: 'PAY_PER_REQUEST', DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, SSESpecification: { SSEEnabled: true, SSEType: 'KMS' } });
      expect(x.DeletionPolicy).toBe('Retain');
    }
    t.hasResourceProperties('AWS::DynamoDB::Table', { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] });
    t.hasResourceProperties('AWS::DynamoDB::Table', { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] });
    t.hasResourceProperties('AWS::DynamoDB::Table', { KeySchema: [{ AttributeName: 'day', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }], TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
    t.resourceCountIs('AWS::Backup::BackupSelection', 1);
    t.hasResourceProperties('AWS::Backup::BackupPlan', { BackupPlan: { BackupPlanRule: Match.arrayWith([Match.objectLike({ RuleName: 'daily', Lifecycle: { DeleteAfterDays: 35 } })]) } });
  });
});

describe('network and functions', () => {
  it('puts the functions in private subnets with no route out, reaching S3, DynamoDB and Athena through endpoints', () => {
    t.resourceCountIs('AWS::EC2::InternetGateway', 0);
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    const endpoints = resources('AWS::EC2::VPCEndpoint');
    expect(endpoints.map((e) => e.Properties.VpcEndpointType ?? 'Gateway').sort()).toEqual(['Gateway', 'Gateway', 'Interface']);
    t.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', { GroupDescription: 'OpsDeck functions: HTTPS to the VPC endpoints only', SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }] });
  });

  it('runs the three functions on Node 24 in the VPC, with reserved concurrency, encrypted logs kept 400 days, and dead letters for the night', () => {
    const fns: Record<string, Record<string, any>> = Object.fromEntries(resources('AWS::Lambda::Function').filter((f) => f.Properties.Description?.startsWith('OpsDeck ')).map((f) => [f.Properties.Description.split(':')[0], f.Properties]));
    expect(Object.keys(fns).sort()).toEqual(['OpsDeck API', 'OpsDeck ingest', 'OpsDeck nightly aggregate']);
    for (const f of Object.values(fns)) {
      expect(f.Runtime).toBe('nodejs24.x');
      expect(f.VpcConfig.SubnetIds).toHaveLength(2);
      expect(f.KmsKeyArn).toBeDefined();
      expect(f.Environment.Variables).toMatchObject({ HOSPITAL_TIME_ZONE: 'Asia/Shanghai', OPSDECK_DEPLOYMENT: 'OpsDeck' });
    }
    expect(fns['OpsDeck ingest']).toMatchObject({ ReservedConcurrentExecutions: 1, Architectures: ['x86_64'], MemorySize: 3008, Timeout: 900, EphemeralStorage: { Size: 4096 } });
    expect(fns['OpsDeck nightly aggregate']).toMatchObject({ ReservedConcurrentExecutions: 1, Architectures: ['arm64'], Timeout: 900 });
    expect(fns['OpsDeck API']).toMatchObject({ ReservedConcurrentExecutions: 50, Architectures: ['arm64'], Timeout: 29 });
    expect(fns['OpsDeck ingest']!.DeadLetterConfig).toBeDefined();
    expect(fns['OpsDeck nightly aggregate']!.DeadLetterConfig).toBeDefined();
    for (const g of resources('AWS::Logs::LogGroup')) expect(g.Properties).toMatchObject({ RetentionInDays: 400, KmsKeyId: expect.anything() });
    for (const q of resources('AWS::SQS::Queue')) expect(q.Properties.KmsMasterKeyId).toBeDefined();
    // No inline policies on OpsDeck's own roles: each function's permissions are one customer-managed policy.
    const inline = Object.keys(t.findResources('AWS::IAM::Policy'));
    expect(inline.every((id) => id.startsWith('CustomCDKBucketDeployment'))).toBe(true);
  });

  it('starts ingest when a night manifest lands and the aggregate at 06:30 hospital time, both retried and dead-lettered', () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { object: { key: [{ prefix: 'landing/_manifests/' }] } } },
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 21600 }, DeadLetterConfig: Match.anyValue() })],
    });
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 6 * * ? *)', ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 7200 }, DeadLetterConfig: Match.anyValue() }),
    });
    const urumqi = build({ timeZone: 'Asia/Urumqi', aggregateAt: '07:05' }, 'West').template;
    urumqi.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(5 7 * * ? *)', ScheduleExpressionTimezone: 'Asia/Urumqi' });
  });

  it('alarms to an encrypted topic on failures, dead letters, a missed night, new P1 alerts and API errors', () => {
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'it-ops@hospital.example' });
    const alarms = resources('AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(8);
    for (const a of alarms) expect(a.Properties.AlarmActions).toHaveLength(1);
    const missed = alarms.find((a) => a.Properties.MetricName === 'NightLagDays')!.Properties;
    expect(missed).toMatchObject({ Namespace: 'OpsDeck', Period: 86400, TreatMissingData: 'breaching', Threshold: 0, Dimensions: [{ Name: 'Deployment', Value: 'OpsDeck' }] });
    expect(alarms.find((a) => a.Properties.MetricName === 'P1AlertsOpened')).toBeDefined();
  });
});

describe('API and sign-in', () => {
  it('needs a Cognito JWT on every route but health, logs access and throttles', () => {
    const routes = resources('AWS::ApiGatewayV2::Route').map((r) => [r.Properties.RouteKey, r.Properties.AuthorizationType]);
    expect(routes.sort()).toEqual([['GET /api/health', 'NONE'], ['GET /api/{proxy+}', 'JWT'], ['POST /api/{proxy+}', 'JWT']]);
    t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT', JwtConfiguration: { Audience: [Match.anyValue()], Issuer: Match.anyValue() } });
    t.hasResourceProperties('AWS::ApiGatewayV2::Stage', { AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') }, DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 } });
  });

  it('has an invitation-only user pool with strong passwords, MFA, threat protection and one group per role', () => {
    t.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true } },
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
    });
    // A person cannot widen their own scope: the departments and display attributes are not writable by the web client.
    t.hasResourceProperties('AWS::Cognito::UserPoolClient', { WriteAttributes: ['name'], ReadAttributes: Match.arrayWith(['custom:departments', 'custom:display']) });
    expect(resources('AWS::Cognito::UserPoolGroup').map((g) => g.Properties.GroupName).sort()).toEqual(parseRoles(rolesFile, 'roles').map((r) => r.id).sort());
  });
});

describe('site', () => {
  it('serves the web through origin access control with security headers, SPA routing, logs, a country allow-list and /api on the same origin', () => {
    const d = resources('AWS::CloudFront::Distribution')[0]!.Properties.DistributionConfig;
    expect(d).toMatchObject({ DefaultRootObject: 'index.html', Logging: { Prefix: 'cloudfront/' }, Restrictions: { GeoRestriction: { RestrictionType: 'whitelist', Locations: ['CN', 'HK', 'MO'] } } });
    expect(d.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', FunctionAssociations: [{ EventType: 'viewer-request' }] });
    expect(d.Origins.find((o: any) => o.S3OriginConfig).OriginAccessControlId).toBeDefined();
    expect(d.CacheBehaviors).toEqual([expect.objectContaining({ PathPattern: '/api/*', ViewerProtocolPolicy: 'https-only', CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad' })]);
    const headers = resources('AWS::CloudFront::ResponseHeadersPolicy')[0]!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy)).toMatch(/default-src 'self'; script-src 'self';.*frame-ancestors 'none'/);
    expect(headers.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Preload: true });
    expect(headers.FrameOptions.FrameOption).toBe('DENY');
    // The edge function sends routes to index.html and leaves files alone.
    const code = resources('AWS::CloudFront::Function')[0]!.Properties.FunctionCode as string;
    const rewrite = new Function(`${code}; return handler;`)() as (e: { request: { uri: string } }) => { uri: string };
    expect(rewrite({ request: { uri: '/wall/campus' } }).uri).toBe('/index.html');
    expect(rewrite({ request: { uri: '/kiosk/lobby' } }).uri).toBe('/index.html');
    expect(rewrite({ request: { uri: '/assets/index-BtbvVy9y.js' } }).uri).toBe('/assets/index-BtbvVy9y.js');
  });

  it('enforces TLS 1.2 on the hospital\'s own domain and attaches its WAF ACL', () => {
    const own = build({
      domainName: 'ops.hospital.example', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666',
      webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/hospital/0a1b2c3d-1111-2222-3333-444455556666',
    }, 'Own').template;
    own.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ Aliases: ['ops.hospital.example'], ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' }), WebACLId: Match.stringLikeRegexp('^arn:aws:wafv2') }),
    });
  });
});

describe('cdk-nag', () => {
  const packs = () => [new AwsSolutionsChecks(), new HIPAASecurityChecks()];
  const findings = (s: Stack) => packs().map((p) => ({ pack: p.name, violations: p.validateScope(s).violations.flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? '' }))) }));

  it('AwsSolutions and HIPAA Security report no unacknowledged finding, in both deployment shapes', () => {
    for (const s of [stack, build({ domainName: 'ops.hospital.example', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666', geoAllowlist: '' }, 'Open').stack]) {
      for (const { pack, violations } of findings(s)) expect({ pack, violations }).toEqual({ pack, violations: [] });
    }
  });

  it('every acknowledgement answers a finding that appears without it, and gives a reason', () => {
    const before = ACKNOWLEDGED.length;
    const bare = withoutAcknowledgements(() => build({}, 'Bare').stack);
    const acks = ACKNOWLEDGED.slice(before);
    expect(acks.length).toBeGreaterThan(20);
    const raw = findings(bare).flatMap((f) => f.violations);
    for (const a of acks) expect(a.reason.length, `${a.id} on ${a.path}`).toBeGreaterThan(60);
    const idle = acks.filter((a) => !raw.some((v) => v.rule === a.id && (v.path === a.path || v.path.startsWith(`${a.path}/`))));
    expect(idle.map((a) => `${a.id} on ${a.path}`)).toEqual([]);
    // …and without them the packs do find what they cover.
    expect(raw.length).toBeGreaterThanOrEqual(acks.length);
  });
});
