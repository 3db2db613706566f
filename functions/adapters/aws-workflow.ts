import { SFNClient } from '@aws-sdk/client-sfn';
import { env } from './aws-ports.js';
import { SfnWorkflowControl } from './sfn-workflow-control.js';

// The Step Functions client on its own, so only the handlers that call the state machine load it (see aws-ports.ts).

export function awsWorkflow(): SfnWorkflowControl {
  return new SfnWorkflowControl(new SFNClient({}), env('STATE_MACHINE_ARN'));
}
