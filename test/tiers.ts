// The tiers of `npm test`, fastest first; vitest.config.ts makes each a project, and test/tiers.test.ts checks
// that every test file is in exactly one. `npm run test:unit` runs the first alone: no Java, no browser.
export const TIERS = {
  /** Pure rules, handlers on the in-memory store, the local runtime's parts: seconds, no Java, no browser. */
  unit: [
    'test/*.test.ts',
    'test/architecture/**/*.test.ts',
    'test/domain/**/*.test.ts',
    'test/compliance/**/*.test.ts',
    'test/functions/**/*.test.ts',
    'test/audit/hash-chain.test.ts',
    'test/audit/audit-trail.test.ts',
    'test/contract/memory-loan-store.test.ts',
    'test/bad-input/**/*.test.ts',
    'test/api/unsubscribe.test.ts',
    'test/local/bench-bundles.test.ts',
    'test/local/driver-only.test.ts',
    'test/local/execution-limits.test.ts',
    'test/local/node20-polyfills.test.ts',
    'test/local/outbox.test.ts',
    'test/local/task-tokens.test.ts',
    'test/local/transition-counter.test.ts',
    'test/local/world-time.test.ts',
  ],
  /** The synthesized template, cdk-nag, the definition on the local engine. */
  infra: ['test/infra/**/*.test.ts'],
  /** `simulate` and `capacity` on the in-memory store, through the real definition. */
  simulation: [
    'test/simulate/aws-quotas.test.ts',
    'test/simulate/capacity-*.test.ts',
    'test/simulate/*-stories.test.ts',
    'test/simulate/determinism.test.ts',
    'test/simulate/portfolio-errors.test.ts',
    'test/simulate/stories.test.ts',
    'test/simulate/summary.test.ts',
    'test/e2e/restart.test.ts',
    'test/local/parity.test.ts',
  ],
  /** Everything that starts DynamoDB Local (Java 17): API, contract, end-to-end stories, the fault suite. */
  dynamodb: [
    'test/api/*-api.test.ts',
    'test/audit/audit-verify.test.ts',
    'test/contract/dynamo-loan-store.test.ts',
    'test/e2e/collections.test.ts',
    'test/e2e/exactly-once.test.ts',
    'test/e2e/paced-sends.test.ts',
    'test/e2e/restructure.test.ts',
    'test/e2e/stories.test.ts',
    'test/faults/**/*.test.ts',
    'test/local/dynamodb-*.test.ts',
    'test/simulate/dynamodb.test.ts',
  ],
  /** The console in Chromium (playwright-core). */
  browser: ['test/e2e/console.test.ts'],
} as const;

export type Tier = keyof typeof TIERS;

/** A glob of the forms above (a double star and slash spans folders, a star stays inside one) as a regular expression over repository paths. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\*\*\/|\*/g, (m) => (m === '*' ? '[^/]*' : '(?:[^/]+/)*'))}$`);
}
