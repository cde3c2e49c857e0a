/** The whole deployment: lake, state, network, monitoring, pipeline, sign-in, API, site. */
import { join } from 'node:path';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { Api } from './api.ts';
import { Auth } from './auth.ts';
import type { DeployConfig } from './config.ts';
import { ROOT } from './functions.ts';
import { Lake } from './lake.ts';
import { Monitoring } from './monitoring.ts';
import { Network } from './network.ts';
import { Pipeline } from './pipeline.ts';
import { Site } from './site.ts';
import { State } from './state.ts';

export interface OpsDeckStackProps extends StackProps {
  config: DeployConfig;
  /** The built web; default web/dist. */
  webDist?: string;
  version?: string;
}

export class OpsDeckStack extends Stack {
  readonly lake: Lake;
  readonly state: State;
  readonly network: Network;
  readonly pipeline: Pipeline;
  readonly auth: Auth;
  readonly api: Api;
  readonly site: Site;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: OpsDeckStackProps) {
    super(scope, id, props);
    const { config } = props;
    const logRetention = config.logRetentionDays as logs.RetentionDays;
    this.lake = new Lake(this, 'Lake', { rawRetentionDays: config.rawRetentionDays, scanCutoffBytes: config.scanCutoffBytes });
    this.state = new State(this, 'State', { key: this.lake.key });
    this.network = new Network(this, 'Network', { key: this.lake.key, logRetention });
    this.monitoring = new Monitoring(this, 'Monitoring', { key: this.lake.key, adminEmail: config.adminEmail, hospitalName: config.hospitalName });
    // What every function reads from its environment (functions/handlers/aws-runtime.ts).
    const environment = {
      LANDING_BUCKET: this.lake.landing.bucketName,
      LAKE_BUCKET: this.lake.lake.bucketName,
      OPS_BUCKET: this.lake.ops.bucketName,
      ATHENA_WORKGROUP: this.lake.workGroup.name,
      GLUE_DATABASE: this.lake.databaseName,
      SNAPSHOT_TABLE: this.state.snapshots.tableName,
      ALERT_TABLE: this.state.alerts.tableName,
      AUDIT_TABLE: this.state.audit.tableName,
      HOSPITAL_TIME_ZONE: config.timeZone,
      OPSDECK_DEPLOYMENT: this.stackName,
      OPSDECK_VERSION: props.version ?? 'dev',
    };
    const shared = { config, lake: this.lake, state: this.state, vpc: this.network.vpc, securityGroup: this.network.functions, monitoring: this.monitoring, logRetention, environment };
    this.pipeline = new Pipeline(this, 'Pipeline', shared);
    this.auth = new Auth(this, 'Auth', { config });
    this.api = new Api(this, 'Api', { ...shared, auth: this.auth });
    this.site = new Site(this, 'Site', { config, httpApi: this.api.httpApi, accessLogs: this.lake.accessLogs, webDist: props.webDist ?? join(ROOT, 'web', 'dist') });

    new CfnOutput(this, 'SiteUrl', { description: 'The dashboard / 运营决策舱网址', value: `https://${config.domainName ?? this.site.distribution.distributionDomainName}` });
    new CfnOutput(this, 'LandingBucket', { description: 'Drop a night\'s extracts here under landing/<table>/dt=YYYY-MM-DD/, then landing/_manifests/dt=YYYY-MM-DD.json', value: this.lake.landing.bucketName });
    new CfnOutput(this, 'UploaderPolicy', { description: 'Attach to the hospital\'s transfer user or role', value: this.lake.uploaderPolicy.managedPolicyArn });
    new CfnOutput(this, 'OpsBucket', { description: 'Quarantine, reports, and the hospital\'s config/ files', value: this.lake.ops.bucketName });
    new CfnOutput(this, 'UserPoolId', { description: 'Add users and put them in a role group here', value: this.api.userPool.userPoolId });
    new CfnOutput(this, 'WebClientId', { value: this.api.webClient.userPoolClientId });
    new CfnOutput(this, 'AlarmTopic', { value: this.monitoring.topic.topicArn });
  }
}
