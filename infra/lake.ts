/**
 * The lake: one customer-managed KMS key (rotated yearly), the buckets (landing, lake, operations, Athena results,
 * access logs), the Glue catalogue generated from the data contract, and the Athena workgroup.
 *
 * Every data bucket: SSE-KMS with the key, public access blocked, TLS 1.2+ only, versioned, access-logged, retained
 * when the stack is deleted. Keys keep the local layout (`landing/…`, `lake/…`, `quarantine/…`, `reports/…`,
 * `config/…`); the first segment picks the bucket (functions/adapters/s3.ts).
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { TABLES } from '../functions/domain/contract.ts';
import { glueTableInputs } from './glue-tables.ts';
import { ack, arnToken, objectWildcard } from './nag.ts';
import type { OpsDeckFunction } from './functions.ts';
import { AREAS, areaObjects, type Area } from '../functions/lake/layout.ts';

export interface LakeProps {
  rawRetentionDays: number;
  scanCutoffBytes: number;
}

const NO_REPLICATION = 'Patient-adjacent financial data stays in the region the hospital chose (data residency). Recovery is by versioning (every overwritten or deleted object is kept) and a retained bucket; cross-region replication is a decision for the hospital\'s disaster-recovery policy and can be added to this bucket then.';

export class Lake extends Construct {
  readonly key: kms.Key;
  readonly accessLogs: s3.Bucket;
  readonly landing: s3.Bucket;
  readonly lake: s3.Bucket;
  /** Quarantine (rejected rows), ingest reports and the hospital's config/ files. */
  readonly ops: s3.Bucket;
  readonly results: s3.Bucket;
  readonly database: glue.CfnDatabase;
  readonly databaseName: string;
  readonly tableNames: string[];
  readonly workGroup: athena.CfnWorkGroup;
  /** Attach to the hospital's transfer user or role: it may add files to landing/, and nothing else. */
  readonly uploaderPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, p: LakeProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = new kms.Key(this, 'DataKey', {
      alias: `alias/${stack.stackName.toLowerCase()}-data`,
      description: 'OpsDeck: the lake, quarantine, reports, query results, tables, logs, queues and topic',
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts this stack's log groups with the key (only log groups of this account and region).
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` } },
    }));
    // CloudWatch alarms publish to the encrypted topic; EventBridge and the scheduler's targets dead-letter to encrypted queues.
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }));

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      // S3 server access logs can only be delivered to a bucket encrypted with S3-managed keys; CloudFront's standard logs need ACLs.
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      lifecycleRules: [{ id: 'keep-six-years', expiration: Duration.days(2192), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    ack(this.accessLogs, 'HIPAA.Security-S3DefaultEncryptionKMS', 'Access-log target: S3 delivers server access logs only to buckets encrypted with S3-managed keys (SSE-S3), so this bucket cannot use the KMS key. It holds request logs, no lake data.');
    ack(this.accessLogs, 'HIPAA.Security-S3BucketReplicationEnabled', NO_REPLICATION);

    const bucket = (name: string, lifecycleRules: s3.LifecycleRule[]): s3.Bucket => {
      const b = new s3.Bucket(this, name, {
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: this.key,
        bucketKeyEnabled: true,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        minimumTLSVersion: 1.2,
        versioned: true,
        serverAccessLogsBucket: this.accessLogs,
        serverAccessLogsPrefix: `${name.toLowerCase()}/`,
        lifecycleRules,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      ack(b, 'HIPAA.Security-S3BucketReplicationEnabled', NO_REPLICATION);
      return b;
    };
    const raw = Duration.days(p.rawRetentionDays);
    this.landing = bucket('Landing', [
      // Raw extracts are never deleted by the pipeline; they age into cheaper storage and expire at the retention period.
      { id: 'raw-retention', transitions: [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) }], expiration: raw, noncurrentVersionExpiration: Duration.days(90), abortIncompleteMultipartUploadAfter: Duration.days(7) },
    ]);
    // S3 → EventBridge, so a night's manifest can start its ingest (set on the L1: the L2 would add a custom resource).
    (this.landing.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    this.lake = bucket('Lake', [
      // A re-run replaces a night's partitions; the replaced versions are kept a month.
      { id: 'replaced-partitions', noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(7) },
    ]);
    this.ops = bucket('Ops', [
      { id: 'quarantine-retention', prefix: AREAS.quarantine, expiration: raw, noncurrentVersionExpiration: Duration.days(90) },
      { id: 'replaced-reports', noncurrentVersionExpiration: Duration.days(90) },
    ]);
    this.results = bucket('AthenaResults', [
      { id: 'query-results', expiration: Duration.days(7), noncurrentVersionExpiration: Duration.days(1), abortIncompleteMultipartUploadAfter: Duration.days(1) },
    ]);

    this.uploaderPolicy = new iam.ManagedPolicy(this, 'UploaderPolicy', {
      description: 'OpsDeck: deliver a night\'s extracts and its manifest to landing/ (no read, no delete)',
      statements: [
        new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.landing.arnForObjects(areaObjects('landing'))] }),
        new iam.PolicyStatement({ actions: ['kms:GenerateDataKey'], resources: [this.key.keyArn] }),
      ],
    });
    ack(this.uploaderPolicy, `AwsSolutions-IAM5[Resource::${arnToken(this.landing)}/landing/*]`, 'The uploader adds new files under landing/<table>/dt=<night>/ and the night\'s manifest: the key names are the extract\'s table and date, unknown in advance. Put only: it can neither read nor delete.');

    this.databaseName = `${stack.stackName.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_lake`;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: { name: this.databaseName, description: 'OpsDeck 运营决策舱 lake: one table per data contract table, Parquet partitioned by night (dt)' },
    });
    this.tableNames = TABLES.map((t) => t.name);
    for (const input of glueTableInputs(this.lake.bucketName)) {
      const table = new glue.CfnTable(this, `Table-${input.name}`, { catalogId: stack.account, databaseName: this.databaseName, tableInput: input });
      table.addResourceDependency(this.database);
    }

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: `${stack.stackName}-queries`,
      description: 'OpsDeck pipeline and explorer queries',
      state: 'ENABLED',
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: p.scanCutoffBytes,
        requesterPaysEnabled: false,
        resultConfiguration: {
          outputLocation: `s3://${this.results.bucketName}/athena/`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: this.key.keyArn },
          expectedBucketOwner: stack.account,
        },
      },
    });
  }

  /** What a function needs to run the portable SQL on Athena: the workgroup, the catalogue's tables, lake reads, result writes. */
  queryStatements(): iam.PolicyStatement[] {
    const stack = Stack.of(this);
    const glueArn = (resource: string) => `arn:${stack.partition}:glue:${stack.region}:${stack.account}:${resource}`;
    return [
      new iam.PolicyStatement({
        actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup'],
        resources: [`arn:${stack.partition}:athena:${stack.region}:${stack.account}:workgroup/${this.workGroup.name}`],
      }),
      new iam.PolicyStatement({
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
        resources: [glueArn('catalog'), glueArn(`database/${this.databaseName}`), ...this.tableNames.map((t) => glueArn(`table/${this.databaseName}/${t}`))],
      }),
      new iam.PolicyStatement({ actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [this.lake.bucketArn, this.results.bucketArn] }),
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.lake.arnForObjects(areaObjects('lake'))] }),
      new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], resources: [this.results.arnForObjects('athena/*')] }),
      new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.key.keyArn] }),
    ];
  }

  /** The bucket an area of the storage layout (functions/lake/layout.ts) lives in. */
  bucketOf(area: Area): s3.Bucket {
    return area === 'landing' || area === 'manifests' ? this.landing : area === 'lake' ? this.lake : this.ops;
  }

  /**
   * Grants a function the areas of the storage layout it uses, each with the reason its wildcard is needed (the key
   * names are tables and nights, unknown in advance): the statements go to the function's own policy, the reasons to
   * cdk-nag. The prefixes come from the layout the code reads and writes by, never typed here.
   */
  grantAreas(fn: OpsDeckFunction, grants: readonly { area: Area; access: 'read' | 'write' | 'read-write' | 'delete'; reason: string }[], list: readonly s3.Bucket[]): void {
    const actions = { read: ['s3:GetObject'], write: ['s3:PutObject'], 'read-write': ['s3:GetObject', 's3:PutObject'], delete: ['s3:DeleteObject'] } as const;
    fn.role.policy.addStatements(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: list.map((b) => b.bucketArn) }));
    for (const g of grants) {
      const bucket = this.bucketOf(g.area);
      fn.role.policy.addStatements(new iam.PolicyStatement({ actions: [...actions[g.access]], resources: [bucket.arnForObjects(areaObjects(g.area))] }));
      ack(fn, objectWildcard(bucket, areaObjects(g.area)), g.reason);
    }
  }

  /** Ingest reads the night's extracts, writes the lake's partitions, quarantine and the reports. */
  grantIngest(fn: OpsDeckFunction): void {
    this.grantAreas(fn, [
      { area: 'landing', access: 'read', reason: 'Reads the night\'s extracts: their keys are landing/<table>/dt=<night>/<file>, named by the hospital\'s systems. Read only.' },
      { area: 'lake', access: 'write', reason: 'Writes one Parquet partition per table and night, lake/<table>/dt=<night>/part-0.parquet (and reads the lake through Athena): the partition keys are the nights.' },
      { area: 'quarantine', access: 'read-write', reason: 'Writes the rejected rows of each table and night, quarantine/<table>/dt=<night>/rejects.csv.' },
      { area: 'reports', access: 'read-write', reason: 'Writes and re-reads the night\'s report reports/ingest/dt=<night>.json and the recompute marks of late corrections.' },
    ], [this.landing, this.ops]);
  }

  /** The nightly aggregate reads the reports and the hospital's configuration, and clears recompute marks. */
  grantAggregate(fn: OpsDeckFunction): void {
    this.grantAreas(fn, [
      { area: 'reports', access: 'read', reason: 'Reads the nights\' ingest reports (data quality, the pipeline status the screens show).' },
      { area: 'config', access: 'read', reason: 'Reads the hospital\'s own configuration files, config/<name>.json, when present.' },
      { area: 'recompute', access: 'delete', reason: 'Clears the marks of nights it has recomputed after late corrections, reports/recompute/dt=<night>.json.' },
    ], [this.lake, this.ops]);
  }

  /** The API serves quarantine and reports to the data-quality page and reads the configuration at start. */
  grantApi(fn: OpsDeckFunction): void {
    this.grantAreas(fn, [
      { area: 'quarantine', access: 'read', reason: 'Serves the rejected rows of a table and night to the data-quality page, quarantine/<table>/dt=<night>/rejects.csv. Read only.' },
      { area: 'reports', access: 'read', reason: 'Serves the nights\' ingest reports to the data-quality page and the screens\' freshness. Read only.' },
      { area: 'config', access: 'read', reason: 'Reads the hospital\'s own configuration files, config/<name>.json, at start. Read only.' },
    ], [this.landing, this.ops]);
  }
}
