// `npm run capacity -- --loans N [--portfolio FILE] [--region R] [--out DIR] [--seed N] [--sample N]`: the
// peak demand a book of N loans puts on each AWS quota, from a simulated sample (see run-capacity.ts).
import { parseCapacityArgs, USAGE, UsageError } from './options.js';

async function main(): Promise<number> {
  let options: ReturnType<typeof parseCapacityArgs>;
  try {
    options = parseCapacityArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  // The simulation (CDK, the engine, the handlers) loads only once the arguments are right.
  const [{ runCapacity }, { PortfolioError }, { QuotaFileError }] = await Promise.all([
    import('./run-capacity.js'),
    import('../portfolio-file.js'),
    import('./quotas.js'),
  ]);
  try {
    const { text, files } = await runCapacity(options);
    console.log(text);
    console.log(`\nWrote ${files.json}, ${files.svg}`);
    return 0;
  } catch (error) {
    if (error instanceof PortfolioError) {
      console.error(`${options.portfolioFile}: nothing was simulated, fix these rows first:\n${error.message}`);
      return 1;
    }
    if (error instanceof QuotaFileError) {
      console.error(`The quota file is malformed, nothing was simulated:\n${error.message}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main();
