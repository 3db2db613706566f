// The arguments of `npm run capacity`, parsed without loading the simulation (a wrong one stops at once).
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

export const USAGE = `npm run capacity -- --loans N [options]

  --loans N          the book to size: N active loans (the sample's demand is scaled by N / sample)
  --portfolio FILE   sample this portfolio (CSV or JSON lines, columns as local/sample-portfolio.csv);
                     default: a book drawn as the bench draws it, disbursed over 90 days
  --sample N         loans to simulate (default 1000; a file with fewer rows is simulated whole)
  --region R         the Region whose quotas apply (default us-east-1)
  --out DIR          writes DIR/capacity.json and DIR/capacity.svg (default out/capacity)
  --seed N           draws of the book, the sample and the borrowers (default 1)
  --workers N        worker threads (default: one per core)
  --fixed-times      every loan at the policy's local times (spreading windows closed): the burst without spreading
  --quiet            no progress bar`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CapacityOptions {
  loans: number;
  portfolioFile?: string;
  sample: number;
  region: string;
  outDir: string;
  seed: number;
  workers?: number;
  progress: boolean;
  /** Every loan at the policy's local times (`--fixed-times`), to compare with the spread book. */
  fixedTimes?: boolean;
}

export const DEFAULT_SAMPLE = 1000;
function wholeNumber(name: string, text: string | undefined, fallback: number | undefined, min: number, max: number): number {
  if (text === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} "${text}" must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`);
  return n;
}

export function parseCapacityArgs(argv: string[]): CapacityOptions {
  // biome-ignore lint/suspicious/noImplicitAnyLet: typed by the parseArgs call that assigns it, inside the try
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        loans: { type: 'string' },
        portfolio: { type: 'string' },
        sample: { type: 'string' },
        region: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string' },
        workers: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        'fixed-times': { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const region = values.region ?? 'us-east-1';
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new UsageError(`--region "${region}" must be a Region code such as us-east-1 or ap-southeast-1`);
  if (values.portfolio !== undefined && !existsSync(values.portfolio)) throw new UsageError(`--portfolio "${values.portfolio}": no such file`);
  if (values.out === '') throw new UsageError('--out must name a folder');
  return {
    loans: wholeNumber('loans', values.loans, undefined, 1, 1e9),
    portfolioFile: values.portfolio,
    sample: wholeNumber('sample', values.sample, DEFAULT_SAMPLE, 1, 100_000),
    region,
    outDir: values.out ?? 'out/capacity',
    seed: wholeNumber('seed', values.seed, 1, 0, 2 ** 32 - 1),
    workers: values.workers === undefined ? undefined : wholeNumber('workers', values.workers, 0, 0, 64),
    progress: !values.quiet,
    fixedTimes: values['fixed-times'],
  };
}
