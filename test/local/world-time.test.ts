import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { paymentTime, workingSlot, workingSlotByLuxon } from '../../local/world/simulated-world.js';

// Zones with daylight saving at 02:00, at midnight, half-hour offsets and a skipped day (Apia, 2011).
const ZONES = [
  'Asia/Shanghai',
  'America/New_York',
  'Europe/London',
  'America/Havana',
  'America/Santiago',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Pacific/Apia',
];

function* instants(count: number): Generator<number> {
  let seed = 12_345;
  for (let i = 0; i < count; i++) {
    seed = (seed * 48_271) % 2_147_483_647;
    yield Date.UTC(2010, 0, 1) + Math.floor((seed / 2_147_483_647) * 20 * 365 * 1440) * 60_000;
  }
}

describe('simulated agents and borrowers keep Luxon time', () => {
  it('workingSlot gives the moment Luxon gives, in every zone and across offset changes', () => {
    for (const zone of ZONES)
      for (const at of instants(1000)) expect(workingSlot(at, zone), `${zone} ${new Date(at).toISOString()}`).toBe(workingSlotByLuxon(at, zone));
  });

  it('a borrower pays at the moment Luxon gives, in every zone and across offset changes', () => {
    for (const zone of ZONES) {
      for (const at of instants(400)) {
        const day = new Date(at).toISOString().slice(0, 10);
        for (const late of [0, 1, 3, 17]) {
          const due = DateTime.fromISO(`${day}T09:00`, { zone });
          expect(paymentTime(day, late, zone), `${zone} ${day} +${late}`).toBe((late ? due.plus({ days: late }) : due).toMillis());
        }
      }
    }
  });
});
