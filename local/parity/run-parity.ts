// The parity check: every story recorded on the local engine, replayed on moto, compared.
import { synthesizeDefinition, type StateMachineDefinition as Asl } from '../../infra/asl.js';
import { compareRuns, statesNeverEntered, type StoryVerdict } from './compare-runs.js';
import { LOCAL_STATE_MACHINE_ARN, localMachine, recordOnLocalEngine } from './record-on-local-engine.js';
import { replayOnMoto } from './replay-on-moto.js';
import type { EngineRun, LocalRecording } from './run-record.js';
import { STORIES, type Story } from './stories.js';

export const STATE_MACHINE_NAME = 'loan-followup';

export interface ParityResult {
  moto: string;
  verdicts: StoryVerdict[];
  recordings: LocalRecording[];
  replays: EngineRun[];
  /** States of the definition that no story entered on the local engine, and on moto. */
  neverEntered: { local: string[]; moto: string[] };
}

export async function runParity(definition: Asl = synthesizeDefinition(), stories: Story[] = STORIES): Promise<ParityResult> {
  const machine = localMachine(definition);
  const recordings = await Promise.all(stories.map((story) => recordOnLocalEngine(story, definition, machine)));
  const replay = await replayOnMoto(definition, STATE_MACHINE_NAME, recordings);
  const identities = { local: { stateMachineArn: LOCAL_STATE_MACHINE_ARN }, moto: { stateMachineArn: replay.stateMachineArn } };
  const verdicts = recordings.map((recording) =>
    compareRuns(
      recording,
      replay.runs.find((run) => run.story === recording.story),
      identities,
    ),
  );
  const stateNames = Object.keys(definition.States);
  return {
    moto: replay.moto,
    verdicts,
    recordings,
    replays: replay.runs,
    neverEntered: { local: statesNeverEntered(stateNames, recordings), moto: statesNeverEntered(stateNames, replay.runs) },
  };
}
