import { parseArgs } from 'node:util';
import type { SimulationOptions } from './run-simulation.js';

export const USAGE = `npm run simulate -- --portfolio FILE --until DATE --out DIR [options]

  --portfolio FILE        CSV or JSON lines, one loan a row (columns as local/sample-portfolio.csv)
  --until DATE            simulate up to this moment: YYYY-MM-DD (00:00 UTC) or an ISO 8601 instant
  --out DIR               writes DIR/timeline.jsonl, DIR/summary.json, DIR/workload.svg
  --seed N                draws for rows without scripted behaviour, and agents' answers (default 1)
  --policy FILE           a policy file replacing the shipped policy of its product
  --fixed-times           every loan at the policy's local times, its spreading windows closed (as the stories read)
  --store dynamodb|memory DynamoDB Local (default) or the in-memory store for large what-if runs
  --minutes-per-call N    agent minutes per call attempt, for agent hours (default 6)
  --minutes-per-visit N   minutes per field visit (default 90)
  --workers N             worker threads (default: one per core from 200 loans; 0 = none)
  --batch-size N          loans per local app (own engine and store), bounds memory (default up to 500)
  --quiet                 no progress bar`;

export class UsageError extends Error {
  override name = 'UsageError';
}

function number(name: string, value: string | undefined, fallback: number, check: (n: number) => boolean, rule: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !check(n)) throw new UsageError(`--${name} "${value}" must be ${rule}`);
  return n;
}

/** `2029-01-01` is that day's start in UTC; anything else must be an ISO 8601 instant with an offset. */
export function parseUntil(text: string): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const date = new Date(`${text}T00:00:00Z`);
    if (!Number.isNaN(date.getTime()) && date.toISOString().startsWith(text)) return date;
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new UsageError(`--until "${text}" must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset`);
}

export function parseSimulateArgs(argv: string[]): SimulationOptions {
  // biome-ignore lint/suspicious/noImplicitAnyLet: typed by the parseArgs call that assigns it, inside the try
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        portfolio: { type: 'string' },
        until: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string' },
        policy: { type: 'string' },
        store: { type: 'string' },
        'minutes-per-call': { type: 'string' },
        'minutes-per-visit': { type: 'string' },
        workers: { type: 'string' },
        'batch-size': { type: 'string' },
        quiet: { type: 'boolean', default: false },
        'fixed-times': { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  for (const required of ['portfolio', 'until', 'out'] as const) if (!values[required]) throw new UsageError(`--${required} is required`);
  const store = values.store ?? 'dynamodb';
  if (store !== 'dynamodb' && store !== 'memory') throw new UsageError(`--store "${store}" must be dynamodb or memory`);
  return {
    portfolioFile: values.portfolio!,
    until: parseUntil(values.until!),
    outDir: values.out!,
    seed: number('seed', values.seed, 1, (n) => Number.isInteger(n) && n >= 0 && n <= 2 ** 32 - 1, 'a whole number from 0 to 4294967295'),
    policyFile: values.policy,
    fixedTimes: values['fixed-times'],
    store,
    minutesPerCall: number('minutes-per-call', values['minutes-per-call'], 6, (n) => n > 0 && n <= 600, 'a number of minutes above 0'),
    minutesPerVisit: number('minutes-per-visit', values['minutes-per-visit'], 90, (n) => n > 0 && n <= 1440, 'a number of minutes above 0'),
    workers:
      values.workers === undefined
        ? undefined
        : number('workers', values.workers, 0, (n) => Number.isInteger(n) && n >= 0 && n <= 64, 'a whole number from 0 to 64'),
    batchSize:
      values['batch-size'] === undefined
        ? undefined
        : number('batch-size', values['batch-size'], 500, (n) => Number.isInteger(n) && n >= 1, 'a whole number above 0'),
    progress: !values.quiet,
  };
}
