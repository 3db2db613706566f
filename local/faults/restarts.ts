// Bringing things back after they went down: the runtime on its data, DynamoDB Local on its folder.
import { executionName } from '../../workflows/execution-contract.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../dynamodb-local.js';
import type { LocalApp } from '../local-app.js';
import type { PortfolioRow } from '../portfolio-file.js';
import type { WorldClient } from './world-client.js';

/**
 * What an operator does after the runtime died: start it on the same data and start every live loan's
 * execution again (its generation, from iteration 0), each on its own clock where it had got to (time does not
 * run backwards for a loan); a loan the dead runtime never stored is onboarded. Returns the loans resumed.
 */
export async function resumeOnItsData(app: LocalApp, client: WorldClient, rows: PortfolioRow[], clocksAtKill: Map<string, number>): Promise<number> {
  const stored = new Map((await client.call('list loans', (current) => current.store.listLoans())).map((loan) => [loan.loanId, loan]));
  let resumed = 0;
  for (const row of rows) {
    const loanId = row.request.loanId;
    const known = stored.get(loanId);
    const clockAtKill = clocksAtKill.get(loanId) ?? 0;
    if (!known) {
      app.clocks!.set(loanId, Math.max(Date.parse(row.request.disbursedAt), clockAtKill));
      await client.call('onboard-loan', (current) => current.api.onboardLoan(row.request));
      continue;
    }
    if (known.status === 'CLOSED') continue;
    app.clocks!.set(loanId, Math.max(Date.parse(known.lastAdvancedAt), clockAtKill));
    await app.runtime.startExecution({ name: executionName(loanId, known.generation), input: { loanId, generation: known.generation, iteration: 0 } });
    resumed += 1;
  }
  return resumed;
}

/** DynamoDB Local again on the same port (the clients keep their endpoint) and data folder. */
export async function restartDynamoDbLocal(running: DynamoDbLocal, dataDir: string | undefined): Promise<DynamoDbLocal> {
  await running.stop();
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDynamoDbLocal({ dataDir, port: running.port });
    } catch (error) {
      // The port may take a moment to be free again.
      if (attempt >= 5) throw error;
      await new Promise((wake) => setTimeout(wake, 500 * attempt));
    }
  }
}
