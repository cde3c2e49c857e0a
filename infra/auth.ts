/**
 * Sign-in: a Cognito user pool, invitation only, with 12-character passwords, MFA by authenticator app, threat
 * protection (Plus tier), a group per role (data/roles.json), custom attributes for a director's departments and a
 * display device's display, and the web's public client (SRP, short-lived
 * tokens, revocable refresh tokens). Retained and protected from deletion: it holds the hospital's staff accounts.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { parseRoles } from '../functions/domain/roles.ts';
import rolesFile from '../data/roles.json' with { type: 'json' };
import type { DeployConfig } from './config.ts';

export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly webClient: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, p: { config: DeployConfig }) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'Users', {
      userPoolName: `${Stack.of(this).stackName}-users`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      // The API reads these from the ID token (functions/adapters/cognito-claims.ts); only an administrator sets them.
      customAttributes: {
        departments: new cognito.StringAttribute({ minLen: 0, maxLen: 512, mutable: true }),
        display: new cognito.StringAttribute({ minLen: 0, maxLen: 64, mutable: true }),
      },
      autoVerify: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      userInvitation: {
        emailSubject: `OpsDeck 运营决策舱 — ${p.config.hospitalName}`,
        emailBody: `您的 OpsDeck 账号 / Your OpsDeck account: {username}，临时密码 / temporary password: {####}（首次登录需修改并绑定验证器 / change it and set up an authenticator app at first sign-in）`,
      },
    });
    for (const role of parseRoles(rolesFile, 'data/roles.json')) {
      new cognito.CfnUserPoolGroup(this, `Group-${role.id}`, { userPoolId: this.userPool.userPoolId, groupName: role.id, description: `${role.zh} / ${role.en}` });
    }
    this.webClient = this.userPool.addClient('Web', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      // People may change their name and nothing else: departments and display are an administrator's to set.
      readAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true, emailVerified: true, fullname: true }).withCustomAttributes('departments', 'display'),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true }),
    });
  }
}
