import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ConsoleFirewallStack } from './constructs/console-firewall.js';
import { FollowUpStack, type FollowUpStackProps } from './follow-up-stack.js';

export const STACK_ID = 'LoanFollowUp';
/** The us-east-1 stack with the console's WAF web ACL (CloudFront takes web ACLs from us-east-1 only). */
export const EDGE_STACK_ID = 'LoanFollowUpEdge';

/** A list from context: comma-separated on the command line (`-c legalEmails=a@x,b@y`) or a JSON array in cdk.json. */
function listFromContext(app: App, key: string): string[] {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}

export function stackPropsFromContext(app: App): FollowUpStackProps {
  return {
    senderDomain: app.node.tryGetContext('senderDomain') || 'example.com',
    stateMachineName: app.node.tryGetContext('stateMachineName') || 'loan-followup',
    supervisorEmails: listFromContext(app, 'supervisorEmails'),
    supervisorPhones: listFromContext(app, 'supervisorPhones'),
    legalEmails: listFromContext(app, 'legalEmails'),
    legalPhones: listFromContext(app, 'legalPhones'),
    ...numberFromContext(app, 'smsMonthlyBudgetUsd'),
    ...numberFromContext(app, 'auditAnchorRetentionDays'),
    ...pacingFromContext(app),
  };
}

/** The paced path's rates from context (`pacingSmsPerSecond`, `pacingSmsIdentity`, `pacingEmailPerSecond`); none: the defaults. */
function pacingFromContext(app: App): Pick<FollowUpStackProps, 'pacing'> {
  const identity: unknown = app.node.tryGetContext('pacingSmsIdentity');
  const pacing = {
    ...renamed(numberFromContext(app, 'pacingSmsPerSecond'), 'pacingSmsPerSecond', 'smsPerSecond'),
    ...renamed(numberFromContext(app, 'pacingEmailPerSecond'), 'pacingEmailPerSecond', 'emailPerSecond'),
    ...(identity ? { smsIdentity: String(identity) } : {}),
  };
  return Object.keys(pacing).length > 0 ? { pacing } : {};
}

function renamed<K extends string, N extends string>(value: Partial<Record<K, number>>, from: K, to: N): Partial<Record<N, number>> {
  return value[from] === undefined ? {} : ({ [to]: value[from] } as Record<N, number>);
}

function numberFromContext<K extends string>(app: App, key: K): Partial<Record<K, number>> {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return {};
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`context ${key}: must be a positive number, got ${String(value)}`);
  return { [key]: number } as Record<K, number>;
}

export interface FollowUpAppOptions extends AppProps {
  /** Run the cdk-nag AwsSolutions and Serverless packs at synth (on by default; synth fails on a violation). */
  nag?: boolean;
}

export function createFollowUpApp(options: FollowUpAppOptions = {}): { app: App; stack: FollowUpStack; edge: ConsoleFirewallStack } {
  const { nag = true, ...appProps } = options;
  const app = new App(appProps);
  const stack = new FollowUpStack(app, STACK_ID, stackPropsFromContext(app));
  const edge = new ConsoleFirewallStack(app, EDGE_STACK_ID, { env: { account: process.env.CDK_DEFAULT_ACCOUNT } });
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new ServerlessChecks(app, { verbose: true }));
  return { app, stack, edge };
}

const isMain = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) createFollowUpApp().app.synth();
