// Every Lambda task of the state machine gives up when its function would: TimeoutSeconds is the function's own
// configured timeout, read from the same template.
import { describe, expect, it } from 'vitest';
import { synthesizeDefinition, synthesizeStack, type AslState } from '../../infra/asl.js';
import { STATE, WAIT_STATES } from '../../workflows/state-names.js';

/** What Lambda applies when a function's template sets no Timeout. */
const LAMBDA_DEFAULT_TIMEOUT_SECONDS = 3;

const definition = synthesizeDefinition();
const resources = (synthesizeStack().template.toJSON() as { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> }).Resources;

/** The function a Lambda task calls (placeholder ARNs end in the function's logical id), or undefined for other tasks. */
function functionOf(task: AslState): string | undefined {
  const arn = task.Resource?.startsWith('arn:aws:lambda:')
    ? task.Resource
    : task.Resource?.startsWith('arn:aws:states:::lambda:invoke')
      ? (task.Parameters as { FunctionName?: string } | undefined)?.FunctionName
      : undefined;
  return arn?.split(':function:')[1]?.split(':')[0];
}

const lambdaTasks = Object.entries(definition.States).filter(([, s]) => s.Type === 'Task' && functionOf(s) !== undefined);
/** Tasks that wait for the function's answer; a .waitForTaskToken task waits for the token, not the function. */
const requestResponse = lambdaTasks.filter(([, s]) => !s.Resource!.endsWith('.waitForTaskToken'));

describe("the Lambda tasks' TimeoutSeconds", () => {
  it('covers AdvanceLoan and FlagForOperations, and every wait state waits on its token instead', () => {
    expect(requestResponse.map(([name]) => name).sort()).toEqual([STATE.AdvanceLoan, STATE.FlagForOperations].sort());
    expect(
      lambdaTasks
        .map(([name]) => name)
        .filter((n) => !requestResponse.some(([r]) => r === n))
        .sort(),
    ).toEqual([...WAIT_STATES].sort());
  });

  it.each(requestResponse)("%s times out with its function: TimeoutSeconds is the function's Timeout", (_name, task) => {
    const fn = resources[functionOf(task)!];
    expect(fn?.Type).toBe('AWS::Lambda::Function');
    const timeout = (fn!.Properties?.Timeout as number | undefined) ?? LAMBDA_DEFAULT_TIMEOUT_SECONDS;
    expect(task.TimeoutSeconds).toBe(timeout);
  });

  it.each(WAIT_STATES)('%s is timed by the wait itself ($.waitSeconds), not by a fixed TimeoutSeconds', (name) => {
    expect(definition.States[name]!.TimeoutSecondsPath).toBe('$.waitSeconds');
    expect(definition.States[name]!.TimeoutSeconds).toBeUndefined();
  });
});
