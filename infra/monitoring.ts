/**
 * Alarms to one SNS topic (encrypted with the data key, TLS only) that e-mails the hospital's administrator. The
 * messages name what failed and where to look; they carry no patient or financial data.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly key: kms.IKey;

  constructor(scope: Construct, id: string, p: { key: kms.IKey; adminEmail: string; hospitalName: string }) {
    super(scope, id);
    this.key = p.key;
    this.topic = new sns.Topic(this, 'Alarms', { displayName: `OpsDeck ${p.hospitalName}`, masterKey: p.key, enforceSSL: true });
    this.topic.addSubscription(new subscriptions.EmailSubscription(p.adminEmail));
  }

  /** An alarm that notifies the administrator when it fires and when it clears. */
  alarm(id: string, props: cloudwatch.AlarmProps): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, props);
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }

  /** An alarm when `metric` exceeds `threshold` in one period (no data: all is well, unless `missing` says otherwise). */
  whenAbove(id: string, description: string, metric: cloudwatch.IMetric, threshold = 0, missing = cloudwatch.TreatMissingData.NOT_BREACHING): cloudwatch.Alarm {
    return this.alarm(id, { alarmDescription: description, metric, threshold, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD, evaluationPeriods: 1, treatMissingData: missing });
  }

  /** A dead-letter queue (encrypted, TLS only, kept 14 days) with an alarm on its first message. */
  deadLetterQueue(id: string, what: string): sqs.Queue {
    const queue = new sqs.Queue(this, id, { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: this.key, enforceSSL: true, retentionPeriod: Duration.days(14) });
    this.whenAbove(`${id}Messages`, `${what}: 有失败事件进入死信队列 / a failed event is in the dead-letter queue — see the function's log, fix, then redrive`,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }));
    return queue;
  }
}

/** A metric the functions write in embedded-metric format (functions/handlers/aws-runtime.ts). */
export const opsDeckMetric = (deployment: string, metricName: string, statistic: string, period: Duration): cloudwatch.Metric =>
  new cloudwatch.Metric({ namespace: 'OpsDeck', metricName, statistic, period, dimensionsMap: { Deployment: deployment } });
