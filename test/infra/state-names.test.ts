import { describe, expect, it } from 'vitest';
import { RECEIPT_WINDOW_SECONDS } from '../../functions/adapters/aws-delivery-receipts.js';
import { synthesizeDefinition } from '../../infra/asl.js';
import { PHASES } from '../../workflows/domain/types.js';
import { STATE, TASK_STATES, WAIT_STATE_OF_PHASE, WAIT_STATES } from '../../workflows/state-names.js';

const definition = synthesizeDefinition();
const state = (name: string) => definition.States[name]!;

describe('the synthesized definition and the STATE contract', () => {
  it('has exactly the states in STATE', () => {
    expect(Object.keys(definition.States).sort()).toEqual(Object.values(STATE).sort());
  });

  it('starts at AdvanceLoan', () => {
    expect(definition.StartAt).toBe(STATE.AdvanceLoan);
  });

  it.each(TASK_STATES)('%s is a Task state', (name) => {
    expect(state(name).Type).toBe('Task');
  });

  it('has one wait state per phase, named after it', () => {
    expect(PHASES.map((p) => WAIT_STATE_OF_PHASE[p])).toEqual(['FirstContact', 'EarlyChecks', 'Servicing', 'Collections', 'Legal']);
  });

  it.each(WAIT_STATES)('%s waits for a task token, times out at $.waitSeconds and catches the timeout first', (name) => {
    const wait = state(name);
    expect(wait.Resource).toMatch(/\.waitForTaskToken$/);
    expect(wait.TimeoutSecondsPath).toBe('$.waitSeconds');
    expect(wait.Catch?.[0]).toEqual({ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: STATE.AdvanceLoan });
    expect(wait.Next).toBe(STATE.AdvanceLoan);
  });

  it('ChooseNextStep parks a waiting loan in the wait state of its phase, Servicing when the phase is unknown', () => {
    type Rule = { Variable?: string; StringEquals?: string; IsPresent?: boolean; And?: Rule[]; Next?: string };
    const choose = state(STATE.ChooseNextStep) as unknown as { Choices: Rule[]; Default: string };
    const phaseRules = choose.Choices.filter((c) => c.And);
    for (const rule of phaseRules) expect(rule.And![0]).toEqual({ Variable: '$.phase', IsPresent: true });
    const byPhase = Object.fromEntries(phaseRules.map((c) => [c.And![1]!.StringEquals, c.Next]));
    for (const phase of PHASES.filter((p) => p !== 'Servicing')) expect(byPhase[phase]).toBe(WAIT_STATE_OF_PHASE[phase]);
    expect(choose.Default).toBe(STATE.Servicing);
    // The actions come first: a closing or handed-over loan never waits.
    expect(choose.Choices.slice(0, 2).map((c) => c.Variable)).toEqual(['$.action', '$.action']);
  });

  it('ContinueAsNew serializes the next input AdvanceLoan hands over, with no JSON written by hand', () => {
    const parameters = state(STATE.ContinueAsNew).Parameters as Record<string, unknown>;
    expect(parameters['Input.$']).toBe('States.JsonToString($.next)');
    expect(JSON.stringify(parameters)).not.toContain('\\\\{');
  });

  it('ContinueAsNew looks up an existing next generation instead of taking it as handed over', () => {
    const continueAsNew = state(STATE.ContinueAsNew);
    expect(continueAsNew.Resource).toBe('arn:aws:states:::aws-sdk:sfn:startExecution');
    expect((continueAsNew.Parameters as Record<string, unknown>)['Name.$']).toBe("States.Format('{}-g{}', $.next.loanId, $.next.generation)");
    expect(continueAsNew.Catch?.[0]).toEqual({ ErrorEquals: ['Sfn.ExecutionAlreadyExistsException'], ResultPath: null, Next: STATE.CheckNextGeneration });
    expect(continueAsNew.Retry?.[0]).toEqual({ ErrorEquals: ['Sfn.ExecutionAlreadyExistsException'], MaxAttempts: 0 });
    const check = state(STATE.CheckNextGeneration);
    expect(check.Resource).toBe('arn:aws:states:::aws-sdk:sfn:describeExecution');
    expect((check.Parameters as Record<string, unknown>)['ExecutionArn.$']).toBe(
      "States.Format('arn:aws:states:local:000000000000:execution:loan-followup:{}-g{}', $.next.loanId, $.next.generation)",
    );
    expect(check.Next).toBe(STATE.NextGenerationLive);
    const live = state(STATE.NextGenerationLive) as unknown as { Choices: { Or: { StringEquals: string }[]; Next: string }[]; Default: string };
    expect(live.Choices[0]!.Or.map((c) => c.StringEquals)).toEqual(['RUNNING', 'SUCCEEDED']);
    expect(live.Choices[0]!.Next).toBe(STATE.HandedOver);
    expect(live.Default).toBe(STATE.SkipEndedGeneration);
    expect(state(STATE.SkipEndedGeneration).Next).toBe(STATE.ContinueAsNew);
  });

  it('AdvanceLoan retries the transient handler errors and sends everything else to FlagForOperations', () => {
    const advance = state(STATE.AdvanceLoan);
    expect(advance.Retry?.flatMap((r) => r.ErrorEquals)).toEqual(
      expect.arrayContaining(['ConcurrentUpdateError', 'TransientDependencyError', 'Lambda.TooManyRequestsException']),
    );
    expect(advance.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: STATE.FlagForOperations }]);
  });

  it.each(WAIT_STATES)('%s retries a throttled or restarting table before giving the loan to operations', (name) => {
    const wait = state(name);
    expect(wait.Retry?.flatMap((r) => r.ErrorEquals)).toEqual(expect.arrayContaining(['TransientDependencyError', 'Lambda.TooManyRequestsException']));
  });

  it('AdvanceLoan retries a Lambda timeout or crash: its sends are reconciled by key on the next attempt', () => {
    const advance = state(STATE.AdvanceLoan);
    const crash = advance.Retry?.find((r) => r.ErrorEquals.includes('Sandbox.Timedout'));
    // The task's own TimeoutSeconds (the function's timeout) usually fires first: States.Timeout is the same crash.
    expect(crash).toMatchObject({ ErrorEquals: ['Sandbox.Timedout', 'Lambda.Unknown', 'States.Timeout'], MaxAttempts: 3 });
  });

  it('AdvanceLoan retries SendInDoubtError for longer than the longest receipt window, so the last try gets a definite answer', () => {
    const advance = state(STATE.AdvanceLoan);
    const inDoubt = advance.Retry?.find((r) => r.ErrorEquals.includes('SendInDoubtError'));
    expect(inDoubt).toMatchObject({ ErrorEquals: ['SendInDoubtError'], IntervalSeconds: 60, BackoffRate: 2, MaxAttempts: 6 });
    const { IntervalSeconds = 1, BackoffRate = 2, MaxAttempts = 3 } = inDoubt!;
    const waited = Array.from({ length: MaxAttempts }, (_, n) => IntervalSeconds * BackoffRate ** n).reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThan(Math.max(...Object.values(RECEIPT_WINDOW_SECONDS)));
    // Every retrier comes before the catch-all, which sends what is left to FlagForOperations.
    expect(advance.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: STATE.FlagForOperations }]);
  });

  it('FlagForOperations ends in ExecutionFailed', () => {
    expect(state(STATE.FlagForOperations).Next).toBe(STATE.ExecutionFailed);
    expect(state(STATE.ExecutionFailed)).toMatchObject({ Type: 'Fail', Error: 'FollowUpFailed' });
  });

  it('Lambda tasks invoke the function ARN directly, so they get the whole state as input', () => {
    expect(state(STATE.AdvanceLoan).Resource).toMatch(/^arn:aws:lambda:/);
    expect(state(STATE.AdvanceLoan).Parameters).toBeUndefined();
    expect(state(STATE.FlagForOperations).Resource).toMatch(/^arn:aws:lambda:/);
  });
});
