// The comparison of one story's run on two engines: the states entered in order, each task call's input, the errors
// raised in states, and how the execution ended. Pure: no engine is run here.
import type { EngineRun, Json, StateError, TaskCall } from './run-record.js';

/** What an engine makes up itself, and the comparison must not hold against it. */
export interface EngineIdentity {
  /** $$.StateMachine.Id on that engine. */
  stateMachineArn: string;
}

export interface Difference {
  story: string;
  /** Which record the difference is in: the states entered, the task calls, the errors raised in states, or how the execution ended. */
  sequence: 'states' | 'tasks' | 'errors' | 'end';
  /** 1-based place in that sequence (the local run's, or moto's for what only moto did); 0 for the end. */
  position: number;
  state: string;
  field: string;
  local: string;
  moto: string;
}

export interface StoryVerdict {
  story: string;
  states: { local: number; moto: number };
  tasks: { local: number; moto: number };
  errors: { local: number; moto: number };
  differences: Difference[];
}

export const TASK_TOKEN = '<task token>';
export const THIS_STATE_MACHINE = '<this state machine>';

/**
 * A task input with what each engine generates for itself replaced by a marker, and nothing else:
 * - the task token ($$.Task.Token, the wait states' Payload.taskToken): each engine issues its own, the local
 *   engine the context's fixed string, moto a UUID. Only that a token was there is compared.
 * - the engine's own state machine ARN ($$.StateMachine.Id, ContinueAsNew's StateMachineArn): moto accepts only real
 *   regions, so its machine is in us-east-1, the local one in the placeholder region `local`.
 * Execution ARNs are not normalized: the definition builds the only one it uses (CheckNextGeneration) itself.
 */
export function normalizeInput(value: Json, identity: EngineIdentity, key?: string): Json {
  if (typeof value === 'string') {
    if (key === 'taskToken' && value.length > 0) return TASK_TOKEN;
    return value === identity.stateMachineArn ? THIS_STATE_MACHINE : value;
  }
  if (Array.isArray(value)) return value.map((item) => normalizeInput(item, identity));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeInput(v, identity, k)]));
  }
  return value;
}

const show = (value: Json | undefined): string => (value === undefined ? '(absent)' : JSON.stringify(value));

/** The leaves where two JSON values differ, as [path, a, b]. */
export function jsonDifferences(a: Json | undefined, b: Json | undefined, path: string): [string, Json | undefined, Json | undefined][] {
  const isObject = (v: Json | undefined): v is { [key: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (Array.isArray(a) && Array.isArray(b)) {
    return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => jsonDifferences(a[i], b[i], `${path}[${i}]`)).flat();
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((key) => jsonDifferences(a[key], b[key], `${path}.${key}`));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [[path, a, b]];
}

type Step<T> = { kind: 'both'; a: T; b: T; ia: number; ib: number } | { kind: 'a'; a: T; ia: number } | { kind: 'b'; b: T; ib: number };

/** The two sequences lined up on their longest common subsequence of keys. */
export function align<T>(a: T[], b: T[], key: (item: T) => string): Step<T>[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = key(a[i]!) === key(b[j]!) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const steps: Step<T>[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && key(a[i]!) === key(b[j]!)) steps.push({ kind: 'both', a: a[i]!, b: b[j]!, ia: i++, ib: j++ });
    else if (j >= m || (i < n && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) steps.push({ kind: 'a', a: a[i]!, ia: i++ });
    else steps.push({ kind: 'b', b: b[j]!, ib: j++ });
  }
  return steps;
}

/**
 * The states entered that are not matched up: a state missing from one run, one only the other entered, and a state
 * both entered but at another place (reported once, as "order").
 */
function stateDifferences(story: string, local: string[], moto: string[]): Difference[] {
  const steps = align(local, moto, (s) => s);
  const missing = steps.filter((s) => s.kind === 'a');
  const extra = steps.filter((s) => s.kind === 'b');
  const differences: Difference[] = [];
  for (const step of missing) {
    const moved = extra.findIndex((e) => e.b === step.a);
    if (moved >= 0) {
      const [other] = extra.splice(moved, 1);
      differences.push({
        story,
        sequence: 'states',
        position: step.ia + 1,
        state: step.a,
        field: 'order',
        local: `entered #${step.ia + 1}`,
        moto: `entered #${other!.ib + 1}`,
      });
    } else {
      differences.push({ story, sequence: 'states', position: step.ia + 1, state: step.a, field: 'entered', local: 'entered', moto: 'not entered' });
    }
  }
  for (const step of extra) {
    differences.push({ story, sequence: 'states', position: step.ib + 1, state: step.b, field: 'entered', local: 'not entered', moto: 'entered' });
  }
  return differences.sort((x, y) => x.position - y.position);
}

function taskDifferences(story: string, local: TaskCall[], moto: TaskCall[]): Difference[] {
  return align(local, moto, (call) => call.state).flatMap((step): Difference[] => {
    if (step.kind === 'a')
      return [{ story, sequence: 'tasks', position: step.ia + 1, state: step.a.state, field: 'call', local: 'called', moto: 'not called' }];
    if (step.kind === 'b')
      return [{ story, sequence: 'tasks', position: step.ib + 1, state: step.b.state, field: 'call', local: 'not called', moto: 'called' }];
    return jsonDifferences(step.a.input, step.b.input, 'input').map(([field, a, b]) => ({
      story,
      sequence: 'tasks' as const,
      position: step.ia + 1,
      state: step.a.state,
      field,
      local: show(a),
      moto: show(b),
    }));
  });
}

/**
 * The errors raised in states, matched on state and error name. Causes are not compared: for a timeout each engine
 * writes its own (moto none), and the others are the recording's, which both engines got. A cause is shown where an
 * error is raised on one engine only: that is where moto says what it could not evaluate.
 */
function errorDifferences(story: string, local: StateError[], moto: StateError[]): Difference[] {
  const raised = (e: StateError) => (e.cause ? `${e.error}: ${e.cause}` : e.error);
  return align(local, moto, (e) => `${e.state} ${e.error}`).flatMap((step): Difference[] => {
    if (step.kind === 'a')
      return [{ story, sequence: 'errors', position: step.ia + 1, state: step.a.state, field: 'error', local: raised(step.a), moto: '(none)' }];
    if (step.kind === 'b')
      return [{ story, sequence: 'errors', position: step.ib + 1, state: step.b.state, field: 'error', local: '(none)', moto: raised(step.b) }];
    return [];
  });
}

const ending = (run: EngineRun): string => (run.error ? `${run.status} ${run.error}` : run.status);

export function compareRuns(local: EngineRun, moto: EngineRun | undefined, identities: { local: EngineIdentity; moto: EngineIdentity }): StoryVerdict {
  const story = local.story;
  const count = (measure: (run: EngineRun) => unknown[]) => ({ local: measure(local).length, moto: moto ? measure(moto).length : 0 });
  const verdict = (differences: Difference[]): StoryVerdict => ({
    story,
    states: count((run) => run.statesEntered),
    tasks: count((run) => run.tasks),
    errors: count((run) => run.errors),
    differences,
  });
  if (!moto) return verdict([{ story, sequence: 'end', position: 0, state: '', field: 'run', local: ending(local), moto: 'not run' }]);

  const normalized = (run: EngineRun, identity: EngineIdentity): TaskCall[] =>
    run.tasks.map((call) => ({ state: call.state, input: normalizeInput(call.input, identity) }));
  const differences = [
    ...stateDifferences(story, local.statesEntered, moto.statesEntered),
    ...taskDifferences(story, normalized(local, identities.local), normalized(moto, identities.moto)),
    ...errorDifferences(story, local.errors, moto.errors),
  ];
  if (ending(local) !== ending(moto)) {
    const last = (run: EngineRun) => run.statesEntered.at(-1) ?? '';
    differences.push({
      story,
      sequence: 'end',
      position: 0,
      state: last(moto) || last(local),
      field: 'status',
      local: ending(local),
      // moto's cause says what its interpreter could not do.
      moto: moto.cause ? `${ending(moto)}: ${moto.cause}` : ending(moto),
    });
  }
  return verdict(differences);
}

/** The states of the definition no run entered. */
export function statesNeverEntered(stateNames: string[], runs: EngineRun[]): string[] {
  const entered = new Set(runs.flatMap((run) => run.statesEntered));
  return stateNames.filter((name) => !entered.has(name));
}
