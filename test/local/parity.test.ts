// `npm run parity`: the comparison on made-up runs, and, where python3 has moto, the whole check for real.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { synthesizeDefinition } from '../../infra/asl.js';
import { compareRuns, normalizeInput, statesNeverEntered, TASK_TOKEN, THIS_STATE_MACHINE } from '../../local/parity/compare-runs.js';
import { describeDifference, verdictTable } from '../../local/parity/parity-report.js';
import type { EngineRun } from '../../local/parity/run-record.js';
import { runParity } from '../../local/parity/run-parity.js';

const hasMoto = spawnSync('python3', ['-c', 'import moto'], { stdio: 'ignore' }).status === 0;

const LOCAL_ARN = 'arn:aws:states:local:000000000000:stateMachine:loan-followup';
const MOTO_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:loan-followup';
const identities = { local: { stateMachineArn: LOCAL_ARN }, moto: { stateMachineArn: MOTO_ARN } };

const wait = (token: string, generation = 0) => ({
  state: 'Legal',
  input: { FunctionName: 'fn', Payload: { loanId: 'L-1', generation, waitSeconds: 1, taskToken: token } },
});
const handOver = (arn: string) => ({ state: 'ContinueAsNew', input: { StateMachineArn: arn, Name: 'L-1-g1', Input: '{"loanId":"L-1"}' } });

function run(engine: 'local' | 'moto', overrides: Partial<EngineRun> = {}): EngineRun {
  return {
    story: 'a-story',
    status: 'SUCCEEDED',
    statesEntered: ['AdvanceLoan', 'ChooseNextStep', 'Legal', 'AdvanceLoan', 'ChooseNextStep', 'ContinueAsNew', 'HandedOver'],
    tasks: [
      { state: 'AdvanceLoan', input: { loanId: 'L-1' } },
      wait(engine === 'local' ? 'local-task-token' : '5b0c6d1e-uuid'),
      { state: 'AdvanceLoan', input: { loanId: 'L-1', iteration: 1 } },
      handOver(engine === 'local' ? LOCAL_ARN : MOTO_ARN),
    ],
    // Each engine writes its own cause for a timeout.
    errors: [{ state: 'Legal', error: 'States.Timeout', cause: engine === 'local' ? 'the wait ran out' : '' }],
    ...overrides,
  };
}

describe('the comparison of two runs', () => {
  it('finds runs equal when only the task tokens and the engines’ own state machine ARNs differ', () => {
    const verdict = compareRuns(run('local'), run('moto'), identities);
    expect(verdict.differences).toEqual([]);
    expect(verdict.states).toEqual({ local: 7, moto: 7 });
    expect(verdict.tasks).toEqual({ local: 4, moto: 4 });
    expect(verdict.errors).toEqual({ local: 1, moto: 1 });
  });

  it('normalizes only a task token and the engine’s own machine ARN', () => {
    const input = { Payload: { taskToken: 'abc', loanId: 'L-1' }, StateMachineArn: LOCAL_ARN, Other: MOTO_ARN };
    expect(normalizeInput(input, identities.local)).toEqual({
      Payload: { taskToken: TASK_TOKEN, loanId: 'L-1' },
      StateMachineArn: THIS_STATE_MACHINE,
      Other: MOTO_ARN,
    });
    // A missing or empty token stays as it is, so it shows.
    expect(normalizeInput({ taskToken: '' }, identities.local)).toEqual({ taskToken: '' });
  });

  it('reports a state entered in another order, naming the story, the position and the state', () => {
    const moto = run('moto', { statesEntered: ['AdvanceLoan', 'Legal', 'ChooseNextStep', 'AdvanceLoan', 'ChooseNextStep', 'ContinueAsNew', 'HandedOver'] });
    const { differences } = compareRuns(run('local'), moto, identities);
    expect(differences).toHaveLength(1);
    expect(differences[0]).toMatchObject({ story: 'a-story', sequence: 'states', state: 'ChooseNextStep', field: 'order' });
    expect(describeDifference(differences[0]!)).toBe('a-story, states #2, ChooseNextStep, order: local entered #2, moto entered #3');
  });

  it('reports a state missing from one run, and how each run ended', () => {
    const moto = run('moto', {
      status: 'FAILED',
      error: 'States.Runtime',
      cause: 'could not evaluate States.Format',
      statesEntered: ['AdvanceLoan', 'ChooseNextStep', 'Legal', 'AdvanceLoan', 'ChooseNextStep', 'ContinueAsNew'],
    });
    const { differences } = compareRuns(run('local'), moto, identities);
    expect(differences).toContainEqual({
      story: 'a-story',
      sequence: 'states',
      position: 7,
      state: 'HandedOver',
      field: 'entered',
      local: 'entered',
      moto: 'not entered',
    });
    expect(differences).toContainEqual(
      expect.objectContaining({ sequence: 'end', field: 'status', local: 'SUCCEEDED', moto: 'FAILED States.Runtime: could not evaluate States.Format' }),
    );
  });

  it('reports a task input that differs, naming the task call, the state and the field', () => {
    const moto = run('moto');
    moto.tasks[1] = wait('another-uuid', 1);
    const { differences } = compareRuns(run('local'), moto, identities);
    expect(differences).toEqual([
      { story: 'a-story', sequence: 'tasks', position: 2, state: 'Legal', field: 'input.Payload.generation', local: '0', moto: '1' },
    ]);
  });

  it('reports a task call only one engine made', () => {
    const moto = run('moto');
    moto.tasks.splice(2, 0, { state: 'AdvanceLoan', input: { loanId: 'L-1', iteration: 1 } });
    const { differences } = compareRuns(run('local'), moto, identities);
    expect(differences).toHaveLength(1);
    expect(differences[0]).toMatchObject({ sequence: 'tasks', state: 'AdvanceLoan', field: 'call', local: 'not called', moto: 'called' });
  });

  it('reports an error raised on one engine only, with its cause', () => {
    const moto = run('moto');
    moto.errors.push({ state: 'ContinueAsNew', error: 'States.Runtime', cause: "The JsonPath argument for the field '$.next.nope' could not be found" });
    const { differences } = compareRuns(run('local'), moto, identities);
    expect(differences).toEqual([
      {
        story: 'a-story',
        sequence: 'errors',
        position: 2,
        state: 'ContinueAsNew',
        field: 'error',
        local: '(none)',
        moto: "States.Runtime: The JsonPath argument for the field '$.next.nope' could not be found",
      },
    ]);
  });

  it('reports a story moto did not run', () => {
    const { differences } = compareRuns(run('local'), undefined, identities);
    expect(differences).toEqual([expect.objectContaining({ story: 'a-story', field: 'run', moto: 'not run' })]);
  });

  it('lists the states no run entered, and prints a table with a verdict per story', () => {
    expect(statesNeverEntered(['AdvanceLoan', 'LoanClosed', 'Legal'], [run('local')])).toEqual(['LoanClosed']);
    const table = verdictTable([compareRuns(run('local'), run('moto'), identities), compareRuns(run('local', { story: 'b' }), undefined, identities)]);
    expect(table.split('\n')).toEqual([
      'story    states  tasks  errors  verdict',
      '-------  ------  -----  ------  ----------',
      'a-story  7       4      1       agree',
      'b        7 / 0   4 / 0  1 / 0   DIFFER (1)',
    ]);
  });
});

describe('parity with moto’s Step Functions interpreter', () => {
  it.runIf(hasMoto)('runs every story the same way on both engines, through every state of the definition', async () => {
    const result = await runParity();
    for (const verdict of result.verdicts) expect(verdict.differences.map(describeDifference), verdict.story).toEqual([]);
    expect(result.replays.map((r) => r.story)).toEqual(result.recordings.map((r) => r.story));
    const states = Object.keys(synthesizeDefinition().States);
    expect(statesNeverEntered(states, result.recordings)).toEqual([]);
    expect(statesNeverEntered(states, result.replays)).toEqual([]);
  });
});
