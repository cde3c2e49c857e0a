/**
 * The web: the built Svelte site in a private bucket, served by CloudFront through origin access control, with the
 * API on the same origin under /api/ (no CORS for the site's own calls). Security headers on every answer (CSP,
 * HSTS, no framing, no sniffing), SPA routes rewritten to index.html at the edge (API 404s stay 404s), hashed assets
 * cached a year and index.html revalidated, standard logs to the access-log bucket.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { DeployConfig } from './config.ts';
import { ack, arnToken, assetBucketObjects } from './nag.ts';
import { PERMISSIONS_POLICY, cspDirectives } from '../functions/api/security-headers.ts';

export interface SiteProps {
  config: DeployConfig;
  httpApi: apigw.HttpApi;
  accessLogs: s3.IBucket;
  /** The built web (`npm run build:web` → web/dist). */
  webDist: string;
}

/** Rewrites a route like /wall/campus to /index.html; files (a dot in the last segment) pass through. */
const SPA_REWRITE = `function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

export class Site extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, p: SiteProps) {
    super(scope, id);
    if (!existsSync(join(p.webDist, 'index.html'))) {
      throw new Error(`网站尚未构建：${p.webDist} 中没有 index.html，请先运行 npm run build:web / the web is not built: no index.html in ${p.webDist}; run npm run build:web first`);
    }
    const region = Stack.of(this).region;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: p.accessLogs,
      serverAccessLogsPrefix: 'site/',
      lifecycleRules: [{ id: 'old-builds', noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    ack(this.bucket, 'HIPAA.Security-S3DefaultEncryptionKMS', 'The built web (HTML, JS, CSS) that every signed-in browser downloads: no hospital data. S3-managed encryption keeps CloudFront\'s origin access simple; the data buckets use the KMS key.');
    ack(this.bucket, 'HIPAA.Security-S3BucketReplicationEnabled', 'The built web is rebuilt from the repository by any deploy; there is nothing to recover by replication.');

    const headers = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      comment: 'OpsDeck security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          override: true,
          contentSecurityPolicy: cspDirectives([`https://cognito-idp.${region}.amazonaws.com`]).join('; '),
        },
        strictTransportSecurity: { override: true, accessControlMaxAge: Duration.days(730), includeSubdomains: true, preload: true },
        contentTypeOptions: { override: true },
        frameOptions: { override: true, frameOption: cloudfront.HeadersFrameOption.DENY },
        referrerPolicy: { override: true, referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN },
        xssProtection: { override: true, protection: true, modeBlock: true },
      },
      customHeadersBehavior: { customHeaders: [{ header: 'Permissions-Policy', value: PERMISSIONS_POLICY, override: true }] },
    });
    const rewrite = new cloudfront.Function(this, 'SpaRewrite', { code: cloudfront.FunctionCode.fromInline(SPA_REWRITE), runtime: cloudfront.FunctionRuntime.JS_2_0, comment: 'SPA routes to index.html' });
    const apiDomain = Fn.select(2, Fn.split('/', p.httpApi.apiEndpoint));
    const certificate = p.config.certificateArn ? acm.Certificate.fromCertificateArn(this, 'Certificate', p.config.certificateArn) : undefined;

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `OpsDeck ${p.config.hospitalName}`,
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_200,
      // With the hospital's certificate; CloudFront's default certificate has a fixed policy (see the CFR4 acknowledgement).
      minimumProtocolVersion: certificate ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      domainNames: p.config.domainName ? [p.config.domainName] : undefined,
      certificate,
      webAclId: p.config.webAclArn,
      geoRestriction: p.config.geoAllowlist.length ? cloudfront.GeoRestriction.allowlist(...p.config.geoAllowlist) : undefined,
      enableLogging: true,
      logBucket: p.accessLogs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        functionAssociations: [{ function: rewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new origins.HttpOrigin(apiDomain, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY, originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2] }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          // Answers depend on the signed-in user: never cached at the edge (the API sets its own ETags).
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
    });
    if (!p.config.certificateArn) {
      ack(this.distribution, 'AwsSolutions-CFR4', 'No custom domain was given, so CloudFront serves its *.cloudfront.net certificate, for which it negotiates TLS 1.2+ with current browsers but cannot pin the minimum. Set the domainName and certificateArn context values to enforce TLSv1.2_2021 (README, Deploy).');
    }
    if (!p.config.webAclArn) {
      ack(this.distribution, 'AwsSolutions-CFR2', 'A CloudFront web ACL must be created in us-east-1, outside this stack\'s region; the hospital attaches its organisation\'s ACL with the webAclArn context value. Every API route but health needs a Cognito JWT and the API is throttled.');
    }
    if (!p.config.geoAllowlist.length) {
      ack(this.distribution, 'AwsSolutions-CFR1', 'The hospital chose to serve viewers everywhere (geoAllowlist empty); every API route but health needs a Cognito JWT.');
    }

    const assets = new deploy.BucketDeployment(this, 'Assets', {
      sources: [deploy.Source.asset(p.webDist, { exclude: ['index.html'] })],
      destinationBucket: this.bucket,
      // Old hashed files stay, so a browser holding yesterday's index.html still loads its scripts.
      prune: false,
      cacheControl: [deploy.CacheControl.fromString('public, max-age=31536000, immutable')],
      memoryLimit: 512,
    });
    const index = new deploy.BucketDeployment(this, 'Index', {
      sources: [deploy.Source.asset(p.webDist, { exclude: ['*', '!index.html'] })],
      destinationBucket: this.bucket,
      prune: false,
      cacheControl: [deploy.CacheControl.fromString('no-cache')],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/'],
      memoryLimit: 512,
    });
    index.node.addDependency(assets);

    // CDK's BucketDeployment provider (one per stack): a Lambda that CloudFormation runs only while deploying.
    const provider = Stack.of(this).node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (provider) {
      const why = "CDK's BucketDeployment provider, which CloudFormation invokes only during a deployment to copy the built web from the CDK asset bucket to the site bucket and invalidate CloudFront's copy of index.html. It touches no hospital data; its code and role are CDK's.";
      for (const id of [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'AwsSolutions-L1',
        'AwsSolutions-IAM5[Action::s3:GetBucket*]', 'AwsSolutions-IAM5[Action::s3:GetObject*]', 'AwsSolutions-IAM5[Action::s3:List*]', 'AwsSolutions-IAM5[Action::s3:Abort*]', 'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        `AwsSolutions-IAM5[Resource::${assetBucketObjects(Stack.of(this))}]`, `AwsSolutions-IAM5[Resource::${arnToken(this.bucket)}/*]`, 'AwsSolutions-IAM5[Resource::*]',
        'HIPAA.Security-IAMNoInlinePolicy', 'HIPAA.Security-LambdaConcurrency', 'HIPAA.Security-LambdaDLQ', 'HIPAA.Security-LambdaInsideVPC',
      ]) ack(provider, id, why);
    }
  }
}
