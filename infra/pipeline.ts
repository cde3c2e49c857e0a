/**
 * The night: a manifest in landing (`landing/_manifests/dt=….json`) → EventBridge → the ingest function (DuckDB writes
 * the Parquet, x86_64 for its native binding); EventBridge Scheduler at the hospital's hour, in its time zone → the
 * aggregate function (Athena, DynamoDB). Both run one at a time, retry twice, dead-letter what still fails, and alarm.
 */
import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { AREAS } from '../functions/lake/layout.ts';
import type { DeployConfig } from './config.ts';
import { OpsDeckFunction } from './functions.ts';
import { ServiceRole } from './iam.ts';
import type { Lake } from './lake.ts';
import { type Monitoring, opsDeckMetric } from './monitoring.ts';
import { ack, objectWildcard } from './nag.ts';
import { areaObjects } from '../functions/lake/layout.ts';
import type { State } from './state.ts';

/** What every construct with OpsDeck functions is given by the stack. */
export interface PipelineProps {
  config: DeployConfig;
  lake: Lake;
  state: State;
  vpc: ec2.IVpc;
  securityGroup: ec2.ISecurityGroup;
  monitoring: Monitoring;
  logRetention: logs.RetentionDays;
  environment: Record<string, string>;
}

export class Pipeline extends Construct {
  readonly ingest: OpsDeckFunction;
  readonly aggregate: OpsDeckFunction;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, p: PipelineProps) {
    super(scope, id);
    const { lake, state, monitoring } = p;
    const deployment = Stack.of(this).stackName;
    const common = { key: lake.key, vpc: p.vpc, securityGroup: p.securityGroup, logRetention: p.logRetention, environment: p.environment };

    const ingestDlq = monitoring.deadLetterQueue('IngestDlq', '数据导入 ingest');
    this.ingest = new OpsDeckFunction(this, 'Ingest', {
      ...common,
      entry: 'ingest.ts',
      description: 'OpsDeck ingest: a night\'s extracts → validated Parquet in the lake, rejected rows to quarantine, the night\'s report',
      architecture: lambda.Architecture.X86_64,
      memorySize: 3008,
      timeout: Duration.minutes(15),
      ephemeralStorageMiB: 4096,
      // Nights one at a time: a night delivering reference tables must finish before the next is checked against them.
      reservedConcurrency: 1,
      nodeModules: ['@duckdb/node-api'],
      deadLetterQueue: ingestDlq,
      statements: [
        ...lake.queryStatements(),
      ],
    });
    lake.grantIngest(this.ingest);
    new events.Rule(this, 'ManifestArrived', {
      description: 'A night\'s manifest landed: ingest that night',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [lake.landing.bucketName] }, object: { key: [{ prefix: AREAS.manifests }] } },
      },
      targets: [new targets.LambdaFunction(this.ingest.fn, { deadLetterQueue: ingestDlq, retryAttempts: 4, maxEventAge: Duration.hours(6) })],
    });

    const aggregateDlq = monitoring.deadLetterQueue('AggregateDlq', '夜间汇总 aggregate');
    this.aggregate = new OpsDeckFunction(this, 'Aggregate', {
      ...common,
      entry: 'aggregate.ts',
      description: 'OpsDeck nightly aggregate: every screen\'s snapshots and the alerts for the newest night, through Athena',
      architecture: lambda.Architecture.ARM_64,
      memorySize: 1769,
      timeout: Duration.minutes(15),
      reservedConcurrency: 1,
      deadLetterQueue: aggregateDlq,
      statements: [
        ...lake.queryStatements(),
        new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:Scan'], resources: [state.snapshots.tableArn, state.alerts.tableArn] }),
        new iam.PolicyStatement({ actions: ['kms:Encrypt'], resources: [lake.key.keyArn] }),
      ],
    });
    lake.grantAggregate(this.aggregate);
    const schedulerRole = new ServiceRole(this, 'Scheduler', {
      service: 'scheduler.amazonaws.com',
      description: 'OpsDeck nightly schedule: start the aggregate function, dead-letter a start that fails',
      statements: [
        new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.aggregate.fn.functionArn] }),
        new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [aggregateDlq.queueArn] }),
        new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [lake.key.keyArn] }),
      ],
    });
    this.schedule = new scheduler.Schedule(this, 'Nightly', {
      description: `OpsDeck nightly aggregate at ${String(p.config.aggregateAt.hour).padStart(2, '0')}:${String(p.config.aggregateAt.minute).padStart(2, '0')} ${p.config.timeZone}`,
      schedule: scheduler.ScheduleExpression.cron({ hour: String(p.config.aggregateAt.hour), minute: String(p.config.aggregateAt.minute), timeZone: TimeZone.of(p.config.timeZone) }),
      target: new schedulerTargets.LambdaInvoke(this.aggregate.fn, { role: schedulerRole.immutable, deadLetterQueue: aggregateDlq, retryAttempts: 2, maxEventAge: Duration.hours(2) }),
    });

    for (const [name, fn, what] of [['Ingest', this.ingest, '数据导入 ingest'], ['Aggregate', this.aggregate, '夜间汇总 aggregate']] as const) {
      monitoring.whenAbove(`${name}Errors`, `${what} 失败 / failed — see log group ${fn.logGroup.logGroupName}`, fn.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }));
    }
    // A missed night: the aggregate did not run in the last day, or ran on a night older than yesterday.
    monitoring.whenAbove('NightMissed', '夜间汇总未运行或昨晚数据未到 / the nightly aggregate did not run, or last night\'s extracts are not in — check the landing bucket and the ingest log',
      opsDeckMetric(deployment, 'NightLagDays', 'Maximum', Duration.days(1)), 0, cloudwatch.TreatMissingData.BREACHING);
    monitoring.whenAbove('P1Alerts', '新的 P1 预警 / new P1 alerts opened tonight — see the alerts board (/wall/alerts)', opsDeckMetric(deployment, 'P1AlertsOpened', 'Sum', Duration.hours(1)));

    ack(this.aggregate, objectWildcard(lake.lake, areaObjects('lake')), 'Athena reads the lake with the caller\'s permissions: every table\'s partitions, lake/<table>/dt=<night>/.');
    for (const fn of [this.ingest, this.aggregate]) ack(fn, objectWildcard(lake.results, 'athena/*'), 'Athena writes each query\'s result under athena/ in the results bucket with a name it chooses; the caller reads it back.');
  }
}
