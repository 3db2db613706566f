// `npm run simulate -- --portfolio FILE --until DATE --out DIR [--seed N] [--policy FILE] [--store memory]`:
// what a policy does to a portfolio, on a virtual clock, through the real state machine and handlers.
import { PortfolioError } from '../portfolio-file.js';
import { PolicyValidationError } from '../../workflows/policy/load-policy.js';
import { parseSimulateArgs, USAGE, UsageError } from './options.js';
import { runSimulation } from './run-simulation.js';

async function main(): Promise<number> {
  let options: ReturnType<typeof parseSimulateArgs>;
  try {
    options = parseSimulateArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  try {
    const result = await runSimulation(options);
    console.log(result.report);
    console.log(`\nWrote ${result.files.timeline}, ${result.files.summary}, ${result.files.svg}`);
    if (result.scriptProblems.length > 0) {
      console.error(
        `\n${result.scriptProblems.length} scripted actions were refused, fix the portfolio:\n${result.scriptProblems.map((p) => `line ${p.line}: loan ${p.loanId}: ${p.field}: ${p.reason}`).join('\n')}`,
      );
    }
    if (result.failedExecutions.length > 0) {
      console.error(
        `\n${result.failedExecutions.length} executions failed (see FlagForOperations in their timelines): ${result.failedExecutions.slice(0, 10).join(', ')}`,
      );
      return 1;
    }
    return result.scriptProblems.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof PortfolioError) {
      console.error(`${options.portfolioFile}: nothing was simulated, fix these rows first:\n${error.message}`);
      return 1;
    }
    if (error instanceof PolicyValidationError) {
      console.error(`--policy: nothing was simulated:\n${error.message}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main();
