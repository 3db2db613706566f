import { describe, expect, it } from 'vitest';
import '../../local/node20-polyfills.js';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { countTransitions, withCounter, type TransitionCounter } from '../../local/local-step-functions.js';

// Task -> Choice -> Task, looping, with a Retry and a Catch on the way: every kind of transition the
// follow-up definition makes.
const DEFINITION = {
  StartAt: 'Step',
  States: {
    Step: {
      Type: 'Task',
      Resource: 'arn:aws:lambda:local:000000000000:function:step',
      Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 0, MaxAttempts: 1 }],
      Catch: [{ ErrorEquals: ['Broken'], Next: 'Done', ResultPath: '$.failure' }],
      Next: 'Choose',
    },
    Choose: { Type: 'Choice', Choices: [{ Variable: '$.i', NumericGreaterThanEquals: 5, Next: 'Done' }], Default: 'Wait' },
    Wait: { Type: 'Task', Resource: 'arn:aws:lambda:local:000000000000:function:wait', Next: 'Step' },
    Done: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

function handlers(failOn: number | undefined) {
  let flaked = false;
  return {
    Step: async (input: { i: number }) => {
      if (input.i === 2 && !flaked) {
        flaked = true;
        throw Object.assign(new Error('once'), { name: 'Flaky' });
      }
      if (input.i === failOn) throw Object.assign(new Error('for good'), { name: 'Broken' });
      return { i: input.i + 1 };
    },
    Wait: async (input: unknown) => input,
  };
}

async function fromEventLog(failOn?: number): Promise<number> {
  const machine = new StateMachine(DEFINITION, { validationOptions: { checkArn: false, checkPaths: false } });
  const run = machine.run({ i: 0 }, { overrides: { taskResourceLocalHandlers: handlers(failOn) as never } });
  let entered = 0;
  const reading = (async () => {
    for await (const event of run.eventLogs) if (event.type === 'StateEntered') entered += 1;
  })();
  await run.result;
  await reading;
  return entered;
}

describe('countTransitions', () => {
  it('counts the StateEntered events the engine logs, run by run', async () => {
    const machine = new StateMachine(DEFINITION, { validationOptions: { checkArn: false, checkPaths: false } });
    countTransitions(machine);
    for (const failOn of [undefined, 3]) {
      const counter: TransitionCounter = { transitions: 0 };
      const other: TransitionCounter = { transitions: 0 };
      await Promise.all([
        machine.run({ i: 0 }, withCounter({ overrides: { taskResourceLocalHandlers: handlers(failOn) as never } }, counter)).result,
        machine.run({ i: 0 }, withCounter({ overrides: { taskResourceLocalHandlers: handlers(failOn) as never } }, other)).result,
      ]);
      const expected = await fromEventLog(failOn);
      expect(expected).toBeGreaterThan(5);
      expect(counter.transitions).toBe(expected);
      expect(other.transitions).toBe(expected);
    }
  });

  it('leaves runs without a counter as the engine makes them', async () => {
    const machine = new StateMachine(DEFINITION, { validationOptions: { checkArn: false, checkPaths: false } });
    countTransitions(machine);
    const run = machine.run({ i: 0 }, { overrides: { taskResourceLocalHandlers: handlers(undefined) as never } });
    let entered = 0;
    const reading = (async () => {
      for await (const event of run.eventLogs) if (event.type === 'StateEntered') entered += 1;
    })();
    await expect(run.result).resolves.toEqual({ i: 5 });
    await reading;
    expect(entered).toBe(await fromEventLog());
  });
});
