/**
 * The functions' network: a VPC with private subnets only (no internet gateway, no NAT), reaching S3 and DynamoDB
 * through gateway endpoints and Athena through an interface endpoint. The default security group is closed and the
 * flow logs go to an encrypted log group.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ServiceRole } from './iam.ts';

export class Network extends Construct {
  readonly vpc: ec2.Vpc;
  readonly functions: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, p: { key: kms.IKey; logRetention: logs.RetentionDays }) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.40.0.0/22'),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'functions', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      restrictDefaultSecurityGroup: true,
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
    });
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', { retention: p.logRetention, encryptionKey: p.key, removalPolicy: RemovalPolicy.RETAIN });
    const flowRole = new ServiceRole(this, 'FlowLogWriter', {
      service: 'vpc-flow-logs.amazonaws.com',
      description: 'OpsDeck VPC flow logs: write to their log group',
      statements: [new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], resources: [flowLogs.logGroupArn] })],
    });
    this.vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs, flowRole.immutable), trafficType: ec2.FlowLogTrafficType.ALL });

    // HTTPS out only. The subnets have no route to the internet, so what answers is the VPC endpoints: S3 and
    // DynamoDB gateway endpoints (AWS's public ranges, routed by the endpoints) and the Athena interface endpoint.
    this.functions = new ec2.SecurityGroup(this, 'FunctionsSg', { vpc: this.vpc, allowAllOutbound: false, description: 'OpsDeck functions: HTTPS to the VPC endpoints only' });
    this.functions.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the VPC endpoints (no internet route exists)');
    const endpointSg = new ec2.SecurityGroup(this, 'EndpointSg', { vpc: this.vpc, allowAllOutbound: false, description: 'OpsDeck interface endpoints: HTTPS from the functions' });
    endpointSg.addIngressRule(this.functions, ec2.Port.tcp(443), 'HTTPS from the OpsDeck functions');
    this.vpc.addInterfaceEndpoint('Athena', { service: ec2.InterfaceVpcEndpointAwsService.ATHENA, privateDnsEnabled: true, open: false, securityGroups: [endpointSg], subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
  }
}
