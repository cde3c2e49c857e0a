/**
 * How every OpsDeck Lambda is built: Node 24 (the runtime named, never "latest"), bundled by esbuild as ESM (the AWS SDK pinned in package.json bundled
 * with it, not the runtime's), in the private subnets, its own log group (encrypted, retained), its own role whose
 * permissions are one customer-managed policy listing exactly what it may do, and reserved concurrency.
 */
import { join } from 'node:path';
import { Duration, Size } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ServiceRole } from './iam.ts';
import { ack } from './nag.ts';

export const ROOT = join(import.meta.dirname, '..');

export interface OpsDeckFunctionProps {
  /** Entry file under functions/handlers/. */
  entry: string;
  description: string;
  architecture: lambda.Architecture;
  memorySize: number;
  timeout: Duration;
  reservedConcurrency: number;
  environment: Record<string, string>;
  statements: iam.PolicyStatement[];
  key: kms.IKey;
  vpc: ec2.IVpc;
  securityGroup: ec2.ISecurityGroup;
  logRetention: logs.RetentionDays;
  /** Asynchronous functions: failed events go here after Lambda's retries. */
  deadLetterQueue?: sqs.IQueue;
  ephemeralStorageMiB?: number;
  /** npm packages shipped beside the bundle instead of in it (native code: DuckDB). */
  nodeModules?: string[];
}

export class OpsDeckFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly role: ServiceRole;

  constructor(scope: Construct, id: string, p: OpsDeckFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: p.logRetention, encryptionKey: p.key });
    this.role = new ServiceRole(this, 'Execution', {
      service: 'lambda.amazonaws.com',
      description: `OpsDeck ${id} function: exactly what it does`,
      awsManaged: ['service-role/AWSLambdaVPCAccessExecutionRole'],
      statements: [
        ...p.statements,
        // Environment variables are encrypted with the data key.
        new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [p.key.keyArn] }),
        ...(p.deadLetterQueue ? [new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [p.deadLetterQueue.queueArn] }), new iam.PolicyStatement({ actions: ['kms:GenerateDataKey'], resources: [p.key.keyArn] })] : []),
      ],
    });
    ack(this.role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
      "AWS's own policy for a Lambda function in a VPC: writing its log streams and managing the network interfaces Lambda places in the private subnets. AWS maintains it as the service changes; everything else the function may do is in its own customer-managed policy.");
    const nodeModules = p.nodeModules ?? [];
    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      entry: join(ROOT, 'functions', 'handlers', p.entry),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: p.architecture,
      description: p.description,
      memorySize: p.memorySize,
      timeout: p.timeout,
      reservedConcurrentExecutions: p.reservedConcurrency,
      ephemeralStorageSize: p.ephemeralStorageMiB ? Size.mebibytes(p.ephemeralStorageMiB) : undefined,
      environment: { ...p.environment, NODE_OPTIONS: '--enable-source-maps' },
      environmentEncryption: p.key,
      role: this.role.immutable,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      vpc: p.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [p.securityGroup],
      deadLetterQueue: p.deadLetterQueue,
      retryAttempts: p.deadLetterQueue ? 2 : undefined,
      maxEventAge: p.deadLetterQueue ? Duration.hours(6) : undefined,
      projectRoot: ROOT,
      depsLockFilePath: join(ROOT, 'package-lock.json'),
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        // Stack traces map to file and line; the sources themselves stay out of the package.
        sourcesContent: false,
        bundleAwsSDK: true,
        // ESM bundles of CommonJS dependencies still call require().
        banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
        externalModules: nodeModules.flatMap((m) => [m, `${m}/*`]).concat(nodeModules.some((m) => m.startsWith('@duckdb/')) ? ['@duckdb/node-bindings', '@duckdb/node-bindings-*'] : []),
        nodeModules,
        // The portable SQL is read from files beside the code (functions/sql/index.ts): ship them with the bundle.
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) => [`cp "${inputDir}/functions/sql/"*.sql "${outputDir}/"`],
        },
        // Native packages installed for Lambda's platform, whatever machine runs the deploy.
        environment: { npm_config_os: 'linux', npm_config_cpu: p.architecture === lambda.Architecture.ARM_64 ? 'arm64' : 'x64', npm_config_libc: 'glibc', npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' },
      },
    });
    if (!p.deadLetterQueue) {
      ack(this.fn, 'HIPAA.Security-LambdaDLQ', 'Invoked synchronously by API Gateway: a failed request is answered with its error to the caller, who retries; a dead-letter queue only receives asynchronous invocations.');
    }
  }
}

