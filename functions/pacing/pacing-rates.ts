import { PacingRateError, type PacingRates } from './send-pacer.js';

/**
 * The rates a new account can count on: one SMS long code sends 10 message parts a second (a US toll-free
 * number 3: set PACING_SMS_PER_SECOND to the identity's own), SES in production 14 emails a second
 * (local/capacity/aws-quotas.json has the sources).
 */
export const DEFAULT_PACING_RATES: PacingRates = {
  SMS: { identity: 'default', perSecond: 10 },
  EMAIL: { identity: 'default', perSecond: 14 },
};

/** The rates from the function's environment (PACING_<SMS|EMAIL>_PER_SECOND and _IDENTITY), defaults otherwise. */
export function pacingRatesFromEnv(env: Record<string, string | undefined>): PacingRates {
  const rate = (channel: 'SMS' | 'EMAIL') => {
    const text = env[`PACING_${channel}_PER_SECOND`];
    const perSecond = text === undefined || text === '' ? DEFAULT_PACING_RATES[channel].perSecond : Number(text);
    if (!(perSecond > 0) || !Number.isFinite(perSecond)) throw new PacingRateError(`PACING_${channel}_PER_SECOND: must be a number above 0, got "${text}"`);
    return { identity: env[`PACING_${channel}_IDENTITY`] || DEFAULT_PACING_RATES[channel].identity, perSecond };
  };
  return { SMS: rate('SMS'), EMAIL: rate('EMAIL') };
}
