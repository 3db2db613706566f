import { executionName } from '../workflows/execution-contract.js';
import type { LocalApp } from './local-app.js';
import type { PortfolioRow } from './portfolio-file.js';

/**
 * Onboards each row at its own disbursement time (on its own clock) unless it is already stored, resumes
 * the follow-up of stored loans that are still live, and lets everything run to the horizon.
 */
export async function runPortfolio(app: LocalApp, rows: PortfolioRow[], until: Date): Promise<{ onboarded: number; resumed: number }> {
  if (!app.clocks) throw new Error('runPortfolio needs the virtual clock');
  const stored = new Map((await app.store.listLoans()).map((l) => [l.loanId, l]));
  let onboarded = 0;
  let resumed = 0;
  app.runtime.extendHorizon(until);
  for (const row of rows) {
    const known = stored.get(row.request.loanId);
    if (!known) {
      app.clocks.set(row.request.loanId, Date.parse(row.request.disbursedAt));
      await app.api.onboardLoan(row.request);
      onboarded += 1;
      continue;
    }
    if (known.status === 'CLOSED') continue;
    // A restart on the same data: the loan carries on from its last step with a fresh local execution.
    app.clocks.set(known.loanId, Date.parse(known.lastAdvancedAt));
    await app.runtime.startExecution({
      name: executionName(known.loanId, known.generation),
      input: { loanId: known.loanId, generation: known.generation, iteration: 0 },
    });
    resumed += 1;
  }
  await app.runtime.whenIdle();
  return { onboarded, resumed };
}
