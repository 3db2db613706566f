// Runs the recorded stories on moto's Step Functions interpreter (replay_on_moto.py, in-process moto under python3).
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StateMachineDefinition as Asl } from '../../infra/asl.js';
import type { EngineRun, LocalRecording } from './run-record.js';

const SCRIPT = fileURLToPath(new URL('./replay_on_moto.py', import.meta.url));

export interface MotoReplay {
  /** moto's version. */
  moto: string;
  /** $$.StateMachine.Id of the machine moto ran. */
  stateMachineArn: string;
  runs: EngineRun[];
}

/** Whether python3 can import moto here. */
export function hasMoto(): boolean {
  return spawnSync('python3', ['-c', 'import moto'], { stdio: 'ignore' }).status === 0;
}

/** Each recording run again on moto, from its input, with its task outcomes in the order they were recorded. */
export function replayOnMoto(definition: Asl, stateMachineName: string, recordings: LocalRecording[]): Promise<MotoReplay> {
  const request = {
    definition,
    stateMachineName,
    stories: recordings.map((r) => ({ name: r.story, input: r.input, tasks: r.tasks.map(({ state, outcome }) => ({ state, outcome })) })),
  };
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`replay_on_moto.py exited with ${code}:\n${Buffer.concat(stderr).toString().slice(-4000)}`));
        return;
      }
      try {
        resolve(JSON.parse(Buffer.concat(stdout).toString()) as MotoReplay);
      } catch (error) {
        reject(new Error(`replay_on_moto.py wrote no JSON: ${(error as Error).message}`));
      }
    });
    child.stdin.end(JSON.stringify(request));
  });
}
