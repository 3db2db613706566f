// The operations API, the staff user pool and the console site in the synthesized template.
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { GROUPS } from '../../functions/http/principal.js';
import { ROUTES } from '../../functions/http/routes.js';
import { synthesizeStack } from '../../infra/asl.js';
import { ROUTE_ACCESS } from '../../infra/constructs/operations-api.js';

const { template, stack } = synthesizeStack();
type Resource = { Type: string; Properties: Record<string, any> };
const resources = template.toJSON().Resources as Record<string, Resource>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const logicalIdOf = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);

describe('operations API', () => {
  it('is one HTTP API with a route per entry of the route table, each behind the Cognito JWT authorizer but the unsubscribe link', () => {
    expect(ofType('AWS::ApiGatewayV2::Api')).toHaveLength(1);
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of routes) {
      if (route.RouteKey.endsWith(' /api/unsubscribe')) expect(route.AuthorizationType).toBe('NONE');
      else expect(route).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: expect.anything() });
    }
    const [[, authorizer]] = ofType('AWS::ApiGatewayV2::Authorizer') as [[string, Resource]];
    expect(authorizer.Properties).toMatchObject({ AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer)).toContain('cognito-idp');
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Audience)).toContain(logicalIdOf(stack.staff.client));
  });

  it('logs every request as JSON without bodies or query strings, and throttles the stage', () => {
    const [[, stage]] = ofType('AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    expect(stage.Properties).toMatchObject({ StageName: '$default', AutoDeploy: true, DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 } });
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
    expect(format).toMatchObject({ routeKey: '$context.routeKey', status: '$context.status' });
    expect(stage.Properties.AccessLogSettings.Format).not.toMatch(/requestBody|querystring|\$context\.path/i);
  });

  it('has one function per route, granted only the table actions of its code path', () => {
    for (const route of ROUTES) {
      const fn = stack.operationsApi.functions[route.operationId];
      const properties = resources[logicalIdOf(fn)]!.Properties;
      expect(properties.Environment.Variables).toMatchObject({ TABLE_NAME: expect.anything(), ROUTE: `${route.method} ${route.path}` });
      const policies = ofType('AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(stack.getLogicalId(fn.role!.node.defaultChild as never)));
      const actions = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat()));
      const dynamo = actions.filter((a: string) => a.startsWith('dynamodb:')).sort();
      expect(dynamo, route.operationId).toEqual(ROUTE_ACCESS[route.operationId].table.map((a) => `dynamodb:${a}`).sort());
      const states = actions.filter((a: string) => a.startsWith('states:'));
      expect(states, route.operationId).toEqual(ROUTE_ACCESS[route.operationId].workflow ?? []);
    }
  });

  it('lets the legal team’s event route read the loan, put in its inbox and wake it, and nothing more', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    expect(routes.find((r) => r.RouteKey === 'POST /api/referrals/{caseId}/events')).toMatchObject({ AuthorizationType: 'JWT' });
    expect(ROUTE_ACCESS.recordLegalEvent).toEqual({ table: ['GetItem', 'PutItem', 'UpdateItem'], workflow: ['states:SendTaskSuccess'] });
    const fn = stack.operationsApi.functions.recordLegalEvent;
    expect(resources[logicalIdOf(fn)]!.Properties.Environment.Variables.ROUTE).toBe('POST /api/referrals/{caseId}/events');
  });
});

describe('staff user pool', () => {
  it('requires MFA and strong passwords, has no self sign-up and runs Plus tier threat protection', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true }) },
      UserPoolTier: 'PLUS',
    });
  });

  it('has the groups the route table uses (senior collectors among them)', () => {
    expect(ofType('AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties.GroupName).sort()).toEqual([...GROUPS].sort());
    expect(GROUPS).toEqual(['agent', 'senior', 'risk', 'legal', 'admin']);
  });

  it('has a public console client on the authorization code flow, returning to the console', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      PreventUserExistenceErrors: 'ENABLED',
      CallbackURLs: [Match.objectLike({ 'Fn::Join': Match.anyValue() })],
    });
  });
});

describe('console site', () => {
  it('serves a private, encrypted, logged bucket through CloudFront with origin access control', () => {
    const buckets = ofType('AWS::S3::Bucket');
    expect(buckets).toHaveLength(2);
    for (const [, bucket] of buckets) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(bucket.Properties.BucketEncryption).toBeDefined();
    }
    expect(ofType('AWS::CloudFront::OriginAccessControl')).toHaveLength(1);
    const [[, distribution]] = ofType('AWS::CloudFront::Distribution') as [[string, Resource]];
    const config = distribution.Properties.DistributionConfig;
    expect(config).toMatchObject({ DefaultRootObject: 'index.html', Logging: { Bucket: expect.anything(), Prefix: 'cdn/' } });
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.CacheBehaviors).toEqual([expect.objectContaining({ PathPattern: '/api/*', ViewerProtocolPolicy: 'https-only', AllowedMethods: expect.arrayContaining(['POST', 'GET']) })]);
  });

  it('sends strict security headers', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: { ContentSecurityPolicy: Match.stringLikeRegexp("script-src 'self'"), Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
        }),
      },
    });
  });

  it('tells npm run console:publish where the files go and what the console’s config is', () => {
    const outputs = Object.keys(template.toJSON().Outputs);
    for (const prefix of ['ConsoleBucketName', 'ConsoleDistributionId', 'ConsoleUrl', 'ConsoleConfig']) expect(outputs.some((o) => o.startsWith(prefix)), prefix).toBe(true);
  });
});
