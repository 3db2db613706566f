import { defineConfig } from 'vitest/config';
import { TIERS } from './test/tiers.js';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One project per tier (test/tiers.ts): `npm test` runs them all, `npm run test:unit` the first.
    projects: Object.entries(TIERS).map(([name, include]) => ({ extends: true, test: { name, include: [...include] } })),
  },
});
