import { CfnOutput, Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER } from '../../functions/http/http-handler.js';
import { ROUTES, type OperationId, type RouteSpec } from '../../functions/http/routes.js';
import type { EncryptionKey } from './encryption-key.js';
import type { WorkflowAction } from './follow-up-workflow.js';
import type { TableAction, TableCondition } from './loan-table.js';
import { ProtectedLogGroup } from './protected-log-group.js';
import { INBOX_WRITER, QUEUE_READER, REFERRAL_READER } from './table-conditions.js';

export interface RouteAccess {
  table: TableAction[];
  queueIndex?: boolean;
  /** IAM conditions on some of the table actions (infra/constructs/table-conditions.ts). */
  conditions?: Partial<Record<TableAction, TableCondition>>;
  /** The condition on Query of the queue index. */
  queueIndexCondition?: TableCondition;
  workflow?: WorkflowAction[];
  verifiesUnsubscribeLinks?: boolean;
}

/**
 * What each route's function may do: the table actions of its code path (the queue index only where the route
 * reads it), the state machine actions, the unsubscribe links' key. A route whose writes are only an event in the
 * loan's inbox is held to those attributes (INBOX_WRITER); the work queue and the referral list read only what
 * they show. test/local/dynamodb-observed-access.test.ts runs every route's code and fails when a grant here is
 * not exactly what the route was seen to send; test/infra/table-footprint.test.ts runs each path against the
 * conditions.
 */
export const ROUTE_ACCESS: Record<OperationId, RouteAccess> = {
  onboardLoan: { table: ['GetItem', 'PutItem'], workflow: ['states:StartExecution'] },
  importLoans: { table: ['GetItem', 'PutItem'], workflow: ['states:StartExecution'] },
  getLoan: { table: ['Query'] },
  recordPayment: { table: ['GetItem', 'PutItem', 'UpdateItem'], conditions: INBOX_WRITER, workflow: ['states:SendTaskSuccess'] },
  reportLoanEvent: { table: ['GetItem', 'PutItem', 'UpdateItem'], workflow: ['states:SendTaskSuccess'] },
  createLoanTask: { table: ['GetItem', 'PutItem', 'UpdateItem'], conditions: INBOX_WRITER, workflow: ['states:SendTaskSuccess'] },
  changeRiskRating: { table: ['GetItem', 'PutItem', 'UpdateItem'], conditions: INBOX_WRITER, workflow: ['states:SendTaskSuccess'] },
  previewRestructure: { table: ['Query'] },
  restructureLoan: { table: ['Query', 'GetItem', 'PutItem', 'UpdateItem'], conditions: INBOX_WRITER, workflow: ['states:SendTaskSuccess'] },
  listTasks: { table: ['Query'], conditions: QUEUE_READER.table, queueIndex: true, queueIndexCondition: QUEUE_READER.index },
  recordTaskOutcome: { table: ['BatchGetItem', 'GetItem', 'PutItem', 'UpdateItem'], workflow: ['states:SendTaskSuccess'] },
  listReferrals: { table: [], queueIndex: true, queueIndexCondition: REFERRAL_READER.index },
  getReferralPackage: { table: ['GetItem'] },
  recordLegalEvent: { table: ['GetItem', 'PutItem', 'UpdateItem'], conditions: INBOX_WRITER, workflow: ['states:SendTaskSuccess'] },
  showUnsubscribe: { table: ['GetItem'], verifiesUnsubscribeLinks: true },
  unsubscribe: { table: ['GetItem', 'PutItem', 'UpdateItem'], conditions: INBOX_WRITER, workflow: ['states:SendTaskSuccess'], verifiesUnsubscribeLinks: true },
};

export interface OperationsApiProps {
  /** Builds a Lambda with the service's defaults from functions/lambda/<file>.ts. */
  createFunction: (id: string, file: string) => NodejsFunction;
  /** Cognito issuer and app client: the JWT authorizer accepts only their tokens. */
  issuerUrl: string;
  audience: string[];
  encryptionKey: EncryptionKey;
  /** Steady-state requests per second of each staff route (burst twice that). */
  rateLimit?: number;
  /**
   * The API's own host name and its ACM certificate (in the stack's region). The default execute-api endpoint is
   * off, so this custom domain is the only way in: CloudFront's /api/* origin.
   */
  customDomain: { domainName: string; certificateArn: string };
  /**
   * The value CloudFront sends in ORIGIN_VERIFY_HEADER; every route's handler refuses a request without it (403,
   * functions/http/http-handler.ts), so calling the custom domain directly, around CloudFront and its WAF, gets
   * nowhere.
   */
  originVerifySecret: string;
}

/** Set by CloudFront on every request it sends to the API (infra/constructs/console-site.ts). */
export { ORIGIN_VERIFY_HEADER };

/** Requests per second (burst twice that) of each public route: its own bucket, below any staff route's. */
export const PUBLIC_ROUTE_RATE = 10;
/** The portfolio import takes up to 500 rows a request and paces its StartExecution calls: one a second will do. */
export const IMPORT_ROUTE_RATE = 1;

/**
 * The throttle of one route. API Gateway keeps a token bucket per route, so a flood of public unsubscribe calls
 * is refused (429) before it takes any staff route's share; all routes still share the account's regional limit.
 */
export function routeThrottle(route: RouteSpec, staffRate: number): { rateLimit: number; burstLimit: number } {
  const rate = route.public ? PUBLIC_ROUTE_RATE : route.operationId === 'importLoans' ? IMPORT_ROUTE_RATE : staffRate;
  return { rateLimit: rate, burstLimit: rate * 2 };
}

function pascal(file: string): string {
  return file.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}

/**
 * The operations API: an HTTP API whose every route (from the shared route table) but the borrowers' unsubscribe
 * link needs a Cognito token, one
 * Lambda per route, JSON access logs without personal data, and a throttle per route. The group check happens in
 * each handler (functions/http/http-handler.ts): the JWT authorizer authenticates, the route table authorizes.
 * It answers only on its custom domain (the execute-api endpoint is off), and only to requests carrying
 * CloudFront's origin secret.
 */
export class OperationsApi extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly functions: Record<OperationId, NodejsFunction>;
  readonly accessLogs: ProtectedLogGroup;
  readonly routes: RouteSpec[] = [...ROUTES];
  readonly domain: apigw.DomainName;
  readonly stage: apigw.HttpStage;

  constructor(scope: Construct, id: string, props: OperationsApiProps) {
    super(scope, id);
    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: 'loan-followup operations API (agents, senior collectors, risk officers, legal team)',
      createDefaultStage: false,
      // Only the custom domain answers, and CloudFront is its only client that knows the origin secret.
      disableExecuteApiEndpoint: true,
    });
    this.domain = new apigw.DomainName(this, 'Domain', {
      domainName: props.customDomain.domainName,
      certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn),
      securityPolicy: apigw.SecurityPolicy.TLS_1_2,
    });
    this.accessLogs = new ProtectedLogGroup(this, 'AccessLogs', { encryptionKey: props.encryptionKey.key });
    const rate = props.rateLimit ?? 50;
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      domainMapping: { domainName: this.domain },
      throttle: { rateLimit: rate, burstLimit: rate * 2 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        // Who called what and how it went; never bodies or query strings (they can hold personal data).
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationStatus: '$context.integrationStatus',
            user: '$context.authorizer.claims.username',
            error: '$context.error.message',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });
    const authorizer = new HttpJwtAuthorizer('Cognito', props.issuerUrl, { jwtAudience: props.audience, identitySource: ['$request.header.Authorization'] });
    this.functions = {} as Record<OperationId, NodejsFunction>;
    for (const route of ROUTES) {
      const fn = props.createFunction(`Api${pascal(route.file)}`, `api-${route.file}`);
      fn.addEnvironment('ROUTE', `${route.method} ${route.path}`);
      fn.addEnvironment('ORIGIN_VERIFY_SECRET', props.originVerifySecret);
      this.functions[route.operationId] = fn;
      const [httpRoute] = this.httpApi.addRoutes({
        path: route.path,
        methods: [route.method === 'GET' ? apigw.HttpMethod.GET : apigw.HttpMethod.POST],
        integration: new HttpLambdaIntegration(`${pascal(route.file)}Integration`, fn, {
          payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
          timeout: Duration.seconds(29),
        }),
        // A public route (the unsubscribe link) carries its own proof, checked by its handler.
        authorizer: (route as RouteSpec).public ? new apigw.HttpNoneAuthorizer() : authorizer,
      });
      if ((route as RouteSpec).public) {
        Validations.of(httpRoute!).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'The unsubscribe link under borrower emails must work without a login (RFC 8058 one-click): its handler checks the link’s KMS HMAC and expiry (403 forged, 410 expired); the route has its own low throttle and a per-IP WAF rate limit at CloudFront.',
        });
      }
      // The stage's route settings name this route: CloudFormation must create it first.
      this.stage.node.addDependency(httpRoute!);
    }
    // One throttle per route (the stage default above is what a route without its own setting would get).
    (this.stage.node.defaultChild as apigw.CfnStage).routeSettings = Object.fromEntries(
      ROUTES.map((route) => {
        const { rateLimit, burstLimit } = routeThrottle(route as RouteSpec, rate);
        return [`${route.method} ${route.path}`, { ThrottlingRateLimit: rateLimit, ThrottlingBurstLimit: burstLimit }];
      }),
    );
    new CfnOutput(this, 'DomainTarget', {
      value: this.domain.regionalDomainName,
      description: 'Point the API domain here (CNAME, or a Route 53 alias with DomainHostedZoneId)',
    });
    new CfnOutput(this, 'DomainHostedZoneId', { value: this.domain.regionalHostedZoneId, description: 'Hosted zone of DomainTarget, for a Route 53 alias' });
  }

  /** The API's host name (its custom domain), for CloudFront's /api/* origin. */
  get domainName(): string {
    return this.domain.name;
  }
}
