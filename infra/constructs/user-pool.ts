import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { GROUPS, type Group } from '../../functions/http/principal.js';

const GROUP_DESCRIPTIONS: Record<Group, string> = {
  agent: 'Call-centre agents: the callback and field queues, early collection calls (DPD 1-30), call outcomes, loan pages',
  senior: 'Senior collectors: as agents, plus the middle collection tier (DPD 31-60)',
  risk: 'Risk officers: as senior collectors, plus late collection calls (DPD 61+), payments, loan events and reviews',
  legal: 'Legal team: referrals, their case packages and legal events, legal follow-up tasks, loan pages',
  admin: 'Administrators: everything, including onboarding and portfolio imports',
};

export interface OperationsUserPoolProps {
  /** Where the console lives (the OAuth redirect after sign-in and sign-out). */
  consoleUrl: string;
  /** Prefix of the Cognito sign-in domain (<prefix>.auth.<region>.amazoncognito.com); globally unique. */
  domainPrefix: string;
}

/**
 * The staff who work the follow-up: a Cognito user pool with the groups the operations API checks
 * (functions/http/routes.ts), MFA required, Plus tier threat protection, no self sign-up (admins invite), and
 * the console as its one app client (authorization code with PKCE; no client secret in a browser).
 */
export class OperationsUserPool extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  readonly groups: Record<Group, cognito.UserPoolGroup>;

  constructor(scope: Construct, id: string, props: OperationsUserPoolProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'Pool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      autoVerify: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Plus tier: threat protection (compromised credentials, adaptive authentication) enforced, not just logged.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.groups = Object.fromEntries(
      GROUPS.map((group, precedence) => [
        group,
        this.userPool.addGroup(`Group-${group}`, { groupName: group, description: GROUP_DESCRIPTIONS[group], precedence }),
      ]),
    ) as Record<Group, cognito.UserPoolGroup>;
    this.client = this.userPool.addClient('Console', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [props.consoleUrl],
        logoutUrls: [props.consoleUrl],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    this.domain = this.userPool.addDomain('SignIn', { cognitoDomain: { domainPrefix: props.domainPrefix } });
  }

  /** The issuer the HTTP API's JWT authorizer trusts. */
  get issuerUrl(): string {
    return `https://cognito-idp.${this.userPool.stack.region}.amazonaws.com/${this.userPool.userPoolId}`;
  }
}
