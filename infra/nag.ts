/**
 * cdk-nag acknowledgements: each names one rule (and, for IAM wildcards, one finding) on one construct, with the reason
 * a reviewer can check. `ACKNOWLEDGED` keeps them, so the tests and the closing note can count and print them.
 */
import { Stack, Token, Validations, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export interface Acknowledgement {
  path: string;
  id: string;
  reason: string;
}

export const ACKNOWLEDGED: Acknowledgement[] = [];

let recordOnly = false;

export function ack(scope: IConstruct, id: string, reason: string): void {
  if (!recordOnly) Validations.of(scope).acknowledge({ id, reason });
  ACKNOWLEDGED.push({ path: scope.node.path, id, reason });
}

/**
 * Builds with the acknowledgements recorded but not applied, so a test can check each one still answers a finding
 * (an acknowledgement nothing needs any more is removed, not left to hide a future finding).
 */
export function withoutAcknowledgements<T>(build: () => T): T {
  recordOnly = true;
  try {
    return build();
  } finally {
    recordOnly = false;
  }
}

/** How cdk-nag writes a resource's ARN in an IAM5 finding id: `<LogicalId.Arn>`. */
export function arnToken(resource: IConstruct): string {
  const cfn = (resource.node.defaultChild ?? resource) as CfnElement;
  return `<${Stack.of(resource).getLogicalId(cfn)}.Arn>`;
}

/**
 * The CDK asset bucket's ARN as cdk-nag writes it in a finding: pseudo parameters stay `<AWS::…>` unless the stack's
 * environment names them (a deploy with a known account or region).
 */
export function assetBucketObjects(stack: Stack): string {
  const show = (value: string, pseudo: string): string => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
  const qualifier = String(stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') ?? 'hnb659fds');
  return `arn:${show(stack.partition, 'Partition')}:s3:::cdk-${qualifier}-assets-${show(stack.account, 'AccountId')}-${show(stack.region, 'Region')}/*`;
}

/** The IAM5 finding id of a grant on `<bucket>/<prefix>` (keys under a prefix, named at run time). */
export const objectWildcard = (bucket: IConstruct, prefix: string): string => `AwsSolutions-IAM5[Resource::${arnToken(bucket)}/${prefix}]`;
