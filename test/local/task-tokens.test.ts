import { describe, expect, it } from 'vitest';
import { InvalidToken, TaskTimedOut, TaskTokenRegistry } from '../../local/task-tokens.js';

const meta = { executionName: 'L-001-g0', stateName: 'AwaitEvent' };

describe('TaskTokenRegistry', () => {
  it('settles with the output of SendTaskSuccess', async () => {
    const registry = new TaskTokenRegistry();
    const { token, settled } = registry.issue(meta);
    expect(token).toMatch(/^\S{40,}$/);
    expect(registry.pending()).toBe(1);
    registry.sendTaskSuccess(token, { reason: 'EVENT' });
    await expect(settled).resolves.toEqual({ reason: 'EVENT' });
    expect(registry.pending()).toBe(0);
  });

  it('issues a different token each time', () => {
    const registry = new TaskTokenRegistry();
    expect(registry.issue(meta).token).not.toBe(registry.issue(meta).token);
  });

  it('rejects with the given error name and cause on SendTaskFailure', async () => {
    const registry = new TaskTokenRegistry();
    const { token, settled } = registry.issue(meta);
    registry.sendTaskFailure(token, 'Loan.Closed', 'closed by operations');
    await expect(settled).rejects.toMatchObject({ name: 'Loan.Closed', message: 'closed by operations' });
  });

  it('rejects with States.Timeout when the task times out', async () => {
    const registry = new TaskTokenRegistry();
    const { token, settled } = registry.issue(meta);
    registry.timeOut(token);
    await expect(settled).rejects.toMatchObject({ name: 'States.Timeout' });
  });

  it('refuses a second answer to the same token with TaskTimedOut', async () => {
    const registry = new TaskTokenRegistry();
    const { token, settled } = registry.issue(meta);
    registry.sendTaskSuccess(token, 1);
    const second = () => registry.sendTaskSuccess(token, 2);
    expect(second).toThrow(TaskTimedOut);
    expect(second).toThrow("Task Timed Out: 'Provided task does not exist anymore'");
    expect(() => registry.timeOut(token)).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
    await expect(settled).resolves.toBe(1);
  });

  it('answers TaskTimedOut for a well-formed token it never issued, InvalidToken for garbage', () => {
    const registry = new TaskTokenRegistry();
    const { token } = new TaskTokenRegistry().issue(meta);
    expect(() => registry.sendTaskSuccess(token, {})).toThrow(TaskTimedOut);
    expect(() => registry.sendTaskFailure('not-a-token', 'E', 'c')).toThrow(InvalidToken);
    expect(() => registry.sendTaskSuccess('', {})).toThrow(expect.objectContaining({ name: 'InvalidToken' }));
  });

  it('cancels only the tokens of the given execution, releasing their waiters', async () => {
    const registry = new TaskTokenRegistry();
    const aborted = registry.issue(meta);
    const other = registry.issue({ ...meta, executionName: 'L-002-g0' });
    expect(registry.cancelAll('L-001-g0')).toBe(1);
    expect(registry.pending()).toBe(1);
    await expect(aborted.settled).rejects.toMatchObject({ name: 'ExecutionAborted' });
    expect(() => registry.sendTaskSuccess(aborted.token, {})).toThrow(TaskTimedOut);
    registry.sendTaskSuccess(other.token, 'ok');
    await expect(other.settled).resolves.toBe('ok');
  });
});
