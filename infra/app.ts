import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { FollowUpStack, type FollowUpStackProps } from './follow-up-stack.js';

export const STACK_ID = 'LoanFollowUp';

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
  };
}

export interface FollowUpAppOptions extends AppProps {
  /** Run the cdk-nag AwsSolutions and Serverless packs at synth (on by default; synth fails on a violation). */
  nag?: boolean;
}

export function createFollowUpApp(options: FollowUpAppOptions = {}): { app: App; stack: FollowUpStack } {
  const { nag = true, ...appProps } = options;
  const app = new App(appProps);
  const stack = new FollowUpStack(app, STACK_ID, stackPropsFromContext(app));
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new ServerlessChecks(app, { verbose: true }));
  return { app, stack };
}

const isMain = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) createFollowUpApp().app.synth();
