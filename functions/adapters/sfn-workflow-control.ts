import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { WorkflowControl } from '../ports.js';

export class SfnWorkflowControl implements WorkflowControl {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async startExecution(input: { name: string; input: object }): Promise<{ executionArn: string; alreadyRunning: boolean }> {
    const executionArn = `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${input.name}`;
    try {
      // Same name and input while running returns the running execution: a repeat never starts a second one.
      const result = await this.sfn.send(
        new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: input.name, input: JSON.stringify(input.input) }),
      );
      return { executionArn: result.executionArn ?? executionArn, alreadyRunning: false };
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return { executionArn, alreadyRunning: true };
      throw error;
    }
  }

  async sendTaskSuccess(token: string, output: object): Promise<'DELIVERED' | 'STALE'> {
    try {
      await this.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
      return 'DELIVERED';
    } catch (error) {
      if (error instanceof TaskTimedOut || error instanceof InvalidToken || error instanceof TaskDoesNotExist) return 'STALE';
      throw error;
    }
  }
}
