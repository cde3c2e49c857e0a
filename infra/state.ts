/**
 * DynamoDB tables: screen snapshots, alert state, and the audit log (who looked at case-level detail or exported).
 * On demand, encrypted with the data key, point-in-time recovery, deletion protection, retained, and in a daily AWS
 * Backup plan kept 35 days (monthly copies a year). The audit log's records expire by TTL after six years.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ack } from './nag.ts';

export class State extends Construct {
  readonly snapshots: dynamodb.Table;
  readonly alerts: dynamodb.Table;
  readonly audit: dynamodb.Table;

  constructor(scope: Construct, id: string, p: { key: kms.IKey }) {
    super(scope, id);
    const table = (name: string, partitionKey: string, sortKey?: string, timeToLiveAttribute?: string): dynamodb.Table => new dynamodb.Table(this, name, {
      partitionKey: { name: partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: sortKey ? { name: sortKey, type: dynamodb.AttributeType.STRING } : undefined,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: p.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute,
    });
    // Keys as the adapters use them (functions/adapters/dynamodb.ts): snapshots by "<screen>#<scope>" and as-of date; alerts by id.
    this.snapshots = table('Snapshots', 'pk', 'sk');
    this.alerts = table('Alerts', 'id');
    // Audit: by day, then time and request id; `expiresAt` (epoch seconds) ends a record's six-year retention.
    this.audit = table('Audit', 'day', 'at', 'expiresAt');

    const vault = new backup.BackupVault(this, 'Vault', { encryptionKey: p.key, removalPolicy: RemovalPolicy.RETAIN });
    const plan = new backup.BackupPlan(this, 'Plan', {
      backupVault: vault,
      backupPlanRules: [
        new backup.BackupPlanRule({ ruleName: 'daily', scheduleExpression: events.Schedule.cron({ hour: '19', minute: '0' }), deleteAfter: Duration.days(35) }),
        new backup.BackupPlanRule({ ruleName: 'monthly', scheduleExpression: events.Schedule.cron({ day: '1', hour: '19', minute: '0' }), deleteAfter: Duration.days(366) }),
      ],
    });
    const selection = plan.addSelection('Tables', { resources: [this.snapshots, this.alerts, this.audit].map((t) => backup.BackupResource.fromDynamoDbTable(t)) });
    ack(selection, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]', "AWS Backup's own service policy, which AWS keeps in step with the services it backs up; the selection limits the role to these three tables.");
  }
}
