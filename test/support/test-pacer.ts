import { MemoryMinuteCounters } from '../../local/adapters/memory-minute-counters.js';
import { DEFAULT_PACING_RATES } from '../../functions/pacing/pacing-rates.js';
import { createSendPacer, type PacingRates, type SendPacer } from '../../functions/pacing/send-pacer.js';

/** The paced path on counters in memory, at AWS's default rates unless told. */
export function testPacer(rates: PacingRates = DEFAULT_PACING_RATES): SendPacer {
  return createSendPacer(new MemoryMinuteCounters(), rates);
}
