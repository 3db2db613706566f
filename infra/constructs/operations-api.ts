import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { ROUTES, type OperationId, type RouteSpec } from '../../functions/http/routes.js';
import type { EncryptionKey } from './encryption-key.js';
import type { WorkflowAction } from './follow-up-workflow.js';
import type { TableAction } from './loan-table.js';
import { ProtectedLogGroup } from './protected-log-group.js';

/**
 * The table and state machine calls behind each route's code path (functions/http/*.ts over
 * functions/adapters/dynamo-loan-store.ts); the queue index only where the route reads it.
 */
export const ROUTE_ACCESS: Record<OperationId, { table: TableAction[]; queueIndex?: boolean; workflow?: WorkflowAction[]; verifiesUnsubscribeLinks?: boolean }> = {
  // onboardLoan: createLoan (TransactWriteItems of Puts), getLoan (GetItem), StartExecution.
  onboardLoan: { table: ['GetItem', 'PutItem'], workflow: ['states:StartExecution'] },
  importLoans: { table: ['GetItem', 'PutItem'], workflow: ['states:StartExecution'] },
  // getLoanView: one Query of the loan's partition.
  getLoan: { table: ['Query'] },
  // appendInbox (a transaction: PutItem in the inbox, UpdateItem of the loan's count, refused for a closed or
  // unknown loan), getWaitToken (GetItem), SendTaskSuccess.
  recordPayment: { table: ['GetItem', 'PutItem', 'UpdateItem'], workflow: ['states:SendTaskSuccess'] },
  // as recordPayment, plus for a contact change getLoan (GetItem) and updateContact (UpdateItem).
  reportLoanEvent: { table: ['GetItem', 'PutItem', 'UpdateItem'], workflow: ['states:SendTaskSuccess'] },
  // createLoanTask, changeRiskRating: getLoan (GetItem: product, zone, rating, closed), appendInbox (PutItem,
  // UpdateItem), getWaitToken (GetItem), SendTaskSuccess.
  createLoanTask: { table: ['GetItem', 'PutItem', 'UpdateItem'], workflow: ['states:SendTaskSuccess'] },
  changeRiskRating: { table: ['GetItem', 'PutItem', 'UpdateItem'], workflow: ['states:SendTaskSuccess'] },
  // previewRestructure: getSnapshot (one Query of the loan's partition: loan, state, instalments); writes nothing.
  previewRestructure: { table: ['Query'] },
  // restructureLoan: getSnapshot (Query), appendInbox (PutItem, UpdateItem), getWaitToken (GetItem), SendTaskSuccess.
  restructureLoan: { table: ['Query', 'GetItem', 'PutItem', 'UpdateItem'], workflow: ['states:SendTaskSuccess'] },
  // listOpenTasks (Query on gsi1), getLoanView per loan (Query).
  listTasks: { table: ['Query'], queueIndex: true },
  // getTaskAndLoan (BatchGetItem; the caller's groups are checked on that task), recordCallAttempt (a
  // transaction: UpdateItem of the task and of the loan's inbox count, PutItem in the inbox); on a lost race or
  // a replay getTask (GetItem); getWaitToken (GetItem), SendTaskSuccess.
  recordTaskOutcome: { table: ['BatchGetItem', 'GetItem', 'PutItem', 'UpdateItem'], workflow: ['states:SendTaskSuccess'] },
  // listReferrals (Query on gsi1).
  listReferrals: { table: ['Query'], queueIndex: true },
  // getLegalCase, getContact (GetItem).
  getReferralPackage: { table: ['GetItem'] },
  // getLoan (GetItem: the case is the loan's, still open), appendInbox (the transaction of recordPayment: PutItem
  // in the inbox, UpdateItem of the loan's count), getWaitToken (GetItem), SendTaskSuccess.
  recordLegalEvent: { table: ['GetItem', 'PutItem', 'UpdateItem'], workflow: ['states:SendTaskSuccess'] },
  // getLoan (GetItem) for the page's language, after the link's MAC (KMS VerifyMac).
  showUnsubscribe: { table: ['GetItem'], verifiesUnsubscribeLinks: true },
  // getLoan (GetItem: language, closed, opted out), appendInbox (PutItem, UpdateItem), getWaitToken (GetItem),
  // SendTaskSuccess.
  unsubscribe: { table: ['GetItem', 'PutItem', 'UpdateItem'], workflow: ['states:SendTaskSuccess'], verifiesUnsubscribeLinks: true },
};

export interface OperationsApiProps {
  /** Builds a Lambda with the service's defaults from functions/lambda/<file>.ts. */
  createFunction: (id: string, file: string) => NodejsFunction;
  /** Cognito issuer and app client: the JWT authorizer accepts only their tokens. */
  issuerUrl: string;
  audience: string[];
  encryptionKey: EncryptionKey;
  /** Steady-state requests per second for the whole API (burst twice that). */
  rateLimit?: number;
}

function pascal(file: string): string {
  return file.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}

/**
 * The operations API: an HTTP API whose every route (from the shared route table) but the borrowers' unsubscribe
 * link needs a Cognito token, one
 * Lambda per route, JSON access logs without personal data, and stage throttling. The group check happens in
 * each handler (functions/http/http-handler.ts): the JWT authorizer authenticates, the route table authorizes.
 */
export class OperationsApi extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly functions: Record<OperationId, NodejsFunction>;
  readonly accessLogs: ProtectedLogGroup;
  readonly routes: RouteSpec[] = [...ROUTES];

  constructor(scope: Construct, id: string, props: OperationsApiProps) {
    super(scope, id);
    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: 'loan-followup operations API (agents, senior collectors, risk officers, legal team)',
      createDefaultStage: false,
      disableExecuteApiEndpoint: false,
    });
    this.accessLogs = new ProtectedLogGroup(this, 'AccessLogs', { encryptionKey: props.encryptionKey.key });
    const rate = props.rateLimit ?? 50;
    this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
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
      this.functions[route.operationId] = fn;
      const [httpRoute] = this.httpApi.addRoutes({
        path: route.path,
        methods: [route.method === 'GET' ? apigw.HttpMethod.GET : apigw.HttpMethod.POST],
        integration: new HttpLambdaIntegration(`${pascal(route.file)}Integration`, fn, { payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0, timeout: Duration.seconds(29) }),
        // A public route (the unsubscribe link) carries its own proof, checked by its handler.
        authorizer: (route as RouteSpec).public ? new apigw.HttpNoneAuthorizer() : authorizer,
      });
      if ((route as RouteSpec).public) {
        Validations.of(httpRoute!).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: 'The unsubscribe link under borrower emails must work without a login (RFC 8058 one-click); its handler checks the link’s KMS HMAC and answers 403 otherwise.',
        });
      }
    }
  }

  /** The API's host name, for CloudFront's /api/* origin. */
  get domainName(): string {
    return `${this.httpApi.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`;
  }
}
