// An SFNClient whose requests the local engine serves: the production adapter (SfnWorkflowControl) runs
// unchanged on top of it, so what it sends can be observed command by command (the least-privilege test),
// and the SDK's own error classes carry the engine's answers back to it.
import { ExecutionAlreadyExists, SendTaskSuccessCommand, SFNClient, StartExecutionCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import type { WorkflowControl } from '../../functions/ports.js';

type Input = Record<string, any>;

/** `engine()` is the local runtime once it exists (the handlers are built before it). */
export function localSfnClient(engine: () => WorkflowControl): SFNClient {
  const client = new SFNClient({ region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      const input = args.input as Input;
      const $metadata = {};
      switch (context.commandName) {
        case StartExecutionCommand.name: {
          try {
            // AWS answers a start with the same name and input while the execution runs with that execution.
            const started = await engine().startExecution({ name: input.name, input: JSON.parse(input.input ?? '{}') });
            return { output: { executionArn: started.executionArn, startDate: new Date(), $metadata }, response: {} };
          } catch (error) {
            if ((error as Error).name === 'ExecutionAlreadyExists') throw new ExecutionAlreadyExists({ message: (error as Error).message, $metadata });
            throw error;
          }
        }
        case SendTaskSuccessCommand.name: {
          const delivered = await engine().sendTaskSuccess(input.taskToken, JSON.parse(input.output ?? '{}'));
          if (delivered === 'STALE') throw new TaskTimedOut({ message: 'Task Timed Out', $metadata });
          return { output: { $metadata }, response: {} };
        }
        default:
          throw new Error(`${context.commandName} is not served by the local engine`);
      }
    },
    { step: 'initialize', name: 'localEngine', priority: 'low' },
  );
  return client;
}
