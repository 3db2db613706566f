// The operations API, the staff user pool and the console site in the synthesized template.
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { GROUPS } from '../../functions/http/principal.js';
import { ROUTES } from '../../functions/http/routes.js';
import { Template } from 'aws-cdk-lib/assertions';
import { ORIGIN_VERIFY_HEADER } from '../../functions/http/http-handler.js';
import { createFollowUpApp, EDGE_STACK_ID } from '../../infra/app.js';
import { synthesizeStack } from '../../infra/asl.js';
import { PUBLIC_PATHS } from '../../infra/constructs/console-firewall.js';
import { IMPORT_ROUTE_RATE, PUBLIC_ROUTE_RATE, ROUTE_ACCESS } from '../../infra/constructs/operations-api.js';
import { INBOX_WRITER } from '../../infra/constructs/table-conditions.js';

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
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
    expect(format).toMatchObject({ routeKey: '$context.routeKey', status: '$context.status' });
    expect(stage.Properties.AccessLogSettings.Format).not.toMatch(/requestBody|querystring|\$context\.path/i);
  });

  it('throttles each route on its own: the public unsubscribe routes lower than any staff route, the import lowest', () => {
    const [[stageId, stage]] = ofType('AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    const settings = stage.Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    expect(Object.keys(settings).sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of ROUTES) {
      const { ThrottlingRateLimit: rate, ThrottlingBurstLimit: burst } = settings[`${route.method} ${route.path}`]!;
      const expected = 'public' in route ? PUBLIC_ROUTE_RATE : route.operationId === 'importLoans' ? IMPORT_ROUTE_RATE : 50;
      expect({ rate, burst }, route.operationId).toEqual({ rate: expected, burst: 2 * expected });
    }
    expect(PUBLIC_ROUTE_RATE).toBeLessThan(50);
    expect(ROUTES.filter((r) => 'public' in r).map((r) => r.path)).toEqual(['/api/unsubscribe', '/api/unsubscribe']);
    // Route settings name the routes: CloudFormation must create them before the stage.
    const routeIds = ofType('AWS::ApiGatewayV2::Route').map(([id]) => id);
    expect(template.toJSON().Resources[stageId].DependsOn).toEqual(expect.arrayContaining(routeIds));
  });

  it('answers only on its custom domain: the execute-api endpoint is off, the domain (TLS 1.2, the certificate parameter) maps to the stage', () => {
    const [[apiId, api]] = ofType('AWS::ApiGatewayV2::Api') as [[string, Resource]];
    expect(api.Properties.DisableExecuteApiEndpoint).toBe(true);
    const [[domainId, domain]] = ofType('AWS::ApiGatewayV2::DomainName') as [[string, Resource]];
    expect(domain.Properties).toMatchObject({
      DomainName: { Ref: 'ApiDomainName' },
      DomainNameConfigurations: [{ CertificateArn: { Ref: 'ApiCertificateArn' }, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }],
    });
    const [[, mapping]] = ofType('AWS::ApiGatewayV2::ApiMapping') as [[string, Resource]];
    expect(mapping.Properties).toMatchObject({ ApiId: { Ref: apiId }, DomainName: { Ref: domainId }, Stage: expect.anything() });
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const target = Object.entries(outputs).find(([key]) => key.startsWith('OperationsApiDomainTarget'))!;
    expect(target[1].Value).toEqual({ 'Fn::GetAtt': [domainId, 'RegionalDomainName'] });
  });

  it('refuses requests that did not come through CloudFront: every route function knows the origin secret', () => {
    for (const route of ROUTES) {
      const fn = resources[logicalIdOf(stack.operationsApi.functions[route.operationId])]!;
      expect(fn.Properties.Environment.Variables.ORIGIN_VERIFY_SECRET, route.operationId).toEqual({ Ref: 'OriginVerifySecret' });
    }
    const parameters = template.toJSON().Parameters as Record<string, Record<string, unknown>>;
    expect(parameters.OriginVerifySecret).toMatchObject({ Type: 'String', NoEcho: true, MinLength: 32 });
    for (const id of ['ApiDomainName', 'ApiCertificateArn', 'ConsoleWebAclArn', 'OriginVerifySecret']) expect(parameters[id]?.Default, id).toBeUndefined();
  });

  // What each route's function is granted is held to what its code was seen to send in
  // test/local/dynamodb-observed-access.test.ts; here, that each route has its own function and table.
  it('has one function per route, told its table and route', () => {
    for (const route of ROUTES) {
      const fn = stack.operationsApi.functions[route.operationId];
      const properties = resources[logicalIdOf(fn)]!.Properties;
      expect(properties.Environment.Variables).toMatchObject({ TABLE_NAME: expect.anything(), ROUTE: `${route.method} ${route.path}` });
    }
    expect(new Set(ROUTES.map((r) => logicalIdOf(stack.operationsApi.functions[r.operationId]))).size).toBe(ROUTES.length);
  });

  it('lets the legal team’s event route read the loan, put in its inbox and wake it, and nothing more', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    expect(routes.find((r) => r.RouteKey === 'POST /api/referrals/{caseId}/events')).toMatchObject({ AuthorizationType: 'JWT' });
    // Its writes are the inbox event and the count, nothing else of the loan.
    expect(ROUTE_ACCESS.recordLegalEvent.conditions).toBe(INBOX_WRITER);
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
      Policies: {
        PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true }),
      },
      UserPoolTier: 'PLUS',
    });
  });

  it('has the groups the route table uses (senior collectors among them)', () => {
    expect(
      ofType('AWS::Cognito::UserPoolGroup')
        .map(([, g]) => g.Properties.GroupName)
        .sort(),
    ).toEqual([...GROUPS].sort());
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
    // The console's bucket and its log bucket (the third is the audit anchors', test/infra/security.test.ts).
    const anchors = logicalIdOf(stack.auditTrail.bucket);
    const buckets = ofType('AWS::S3::Bucket').filter(([id]) => id !== anchors);
    expect(buckets).toHaveLength(2);
    for (const [, bucket] of buckets) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption).toBeDefined();
    }
    expect(ofType('AWS::CloudFront::OriginAccessControl')).toHaveLength(1);
    const [[, distribution]] = ofType('AWS::CloudFront::Distribution') as [[string, Resource]];
    const config = distribution.Properties.DistributionConfig;
    expect(config).toMatchObject({ DefaultRootObject: 'index.html', Logging: { Bucket: expect.anything(), Prefix: 'cdn/' } });
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.CacheBehaviors).toEqual([
      expect.objectContaining({ PathPattern: '/api/*', ViewerProtocolPolicy: 'https-only', AllowedMethods: expect.arrayContaining(['POST', 'GET']) }),
    ]);
  });

  it('is behind the web ACL of the us-east-1 stack, and sends /api/* to the API’s custom domain with the origin secret', () => {
    const [[, distribution]] = ofType('AWS::CloudFront::Distribution') as [[string, Resource]];
    const config = distribution.Properties.DistributionConfig;
    expect(config.WebACLId).toEqual({ Ref: 'ConsoleWebAclArn' });
    const apiOriginId = config.CacheBehaviors[0].TargetOriginId;
    const apiOrigin = config.Origins.find((o: { Id: string }) => o.Id === apiOriginId);
    const [[domainId]] = ofType('AWS::ApiGatewayV2::DomainName');
    expect(apiOrigin).toMatchObject({
      // The API's custom domain (its Ref is the ApiDomainName parameter's value), not an execute-api host.
      DomainName: { Ref: domainId },
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
      OriginCustomHeaders: [{ HeaderName: ORIGIN_VERIFY_HEADER, HeaderValue: { Ref: 'OriginVerifySecret' } }],
    });
    // The parameter takes only a CLOUDFRONT web ACL, which AWS makes in us-east-1.
    const pattern = new RegExp((template.toJSON().Parameters as Record<string, { AllowedPattern: string }>).ConsoleWebAclArn.AllowedPattern);
    expect(pattern.test('arn:aws:wafv2:us-east-1:123456789012:global/webacl/ConsoleFirewall-abc/0a1b2c3d-0000-1111-2222-333344445555')).toBe(true);
    expect(pattern.test('arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/ConsoleFirewall-abc/0a1b2c3d-0000-1111-2222-333344445555')).toBe(false);
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
    for (const prefix of ['ConsoleBucketName', 'ConsoleDistributionId', 'ConsoleUrl', 'ConsoleConfig'])
      expect(
        outputs.some((o) => o.startsWith(prefix)),
        prefix,
      ).toBe(true);
  });
});

describe('console web ACL (the us-east-1 stack)', () => {
  const { edge } = createFollowUpApp({ nag: false, context: { 'aws:cdk:bundling-stacks': [] } });
  const edgeTemplate = Template.fromStack(edge).toJSON();
  const acls = Object.values(edgeTemplate.Resources as Record<string, Resource>).filter((r) => r.Type === 'AWS::WAFv2::WebACL');

  it('is one CLOUDFRONT web ACL in us-east-1, allowing by default, with metrics, its ARN an output', () => {
    expect(edge.stackName).toBe(EDGE_STACK_ID);
    expect(edge.region).toBe('us-east-1');
    expect(acls).toHaveLength(1);
    expect(acls[0]!.Properties).toMatchObject({
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true },
    });
    expect(Object.keys(edgeTemplate.Outputs)).toContain('WebAclArn');
  });

  it('limits each client IP on the public routes (the unsubscribe link) to 100 requests in 5 minutes, answering 429', () => {
    expect(PUBLIC_PATHS).toEqual(['/api/unsubscribe']);
    const rule = acls[0]!.Properties.Rules.find((r: { Name: string }) => r.Name === 'PublicRoutesPerIp');
    expect(rule).toMatchObject({
      Priority: 0,
      Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
      Statement: {
        RateBasedStatement: {
          Limit: 100,
          EvaluationWindowSec: 300,
          AggregateKeyType: 'IP',
          ScopeDownStatement: { ByteMatchStatement: { FieldToMatch: { UriPath: {} }, PositionalConstraint: 'STARTS_WITH', SearchString: '/api/unsubscribe' } },
        },
      },
    });
  });

  it('runs AWS’s common and known-bad-inputs rule sets, the body-size rule counting only (the CSV import is larger)', () => {
    const managed = acls[0]!.Properties.Rules.filter((r: any) => r.Statement.ManagedRuleGroupStatement).map((r: any) => r.Statement.ManagedRuleGroupStatement);
    expect(managed.map((m: { Name: string }) => m.Name)).toEqual(['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']);
    expect(managed[0].RuleActionOverrides).toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
  });
});
