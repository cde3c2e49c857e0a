/**
 * Roles built the same way everywhere: the permissions are one customer-managed policy listing exactly what the role
 * does (no inline policies, which HIPAA reviews reject), and the role is handed to constructs as immutable, so no
 * construct can widen it behind our back.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export class ServiceRole extends Construct {
  readonly role: iam.Role;
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, p: { service: string; description: string; statements: iam.PolicyStatement[]; awsManaged?: string[] }) {
    super(scope, id);
    this.policy = new iam.ManagedPolicy(this, 'Policy', { description: p.description, statements: p.statements });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal(p.service),
      description: p.description,
      managedPolicies: [...(p.awsManaged ?? []).map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)), this.policy],
    });
  }

  /** The role as constructs receive it: they cannot add statements to it. */
  get immutable(): iam.IRole {
    return this.role.withoutPolicyUpdates();
  }
}
