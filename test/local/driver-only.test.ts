import { describe, expect, it } from 'vitest';
import { driverOnly } from '../../local/bench/driver-only.js';
import { threadedRate } from '../../local/bench/threaded-rate.js';

describe("the bench's driver-only run (our definition and driver, handlers deciding nothing)", () => {
  it('runs every loan through the synthesized definition, each wait ending on its virtual clock', async () => {
    const run = await (await driverOnly(4, 10)).run();
    // A step is AdvanceLoan, ChooseNextStep and AwaitEvent; the last one ends in LoanClosed instead of waiting.
    // Waits are a week each: ten of them would not end within the test if they took real time.
    expect(run.transitions).toBe(4 * 10 * 3);
    expect(run.endedAt).toBeGreaterThanOrEqual(run.startedAt);
  });

  it('is measured like the bare engine, both in this thread', async () => {
    const bare = await threadedRate('bare', 0);
    expect(bare.threads).toBe(1);
    expect(bare.perThread[0]!.transitions).toBe(1000 * 100 * 3);
    expect(bare.rate).toBeGreaterThan(0);
  });
});
