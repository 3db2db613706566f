// Borrowers for rows that do not script their own: drawn from per-risk-rating probabilities, repeatably.
import type { Finding, Product, RiskRating } from '../../workflows/domain/types.js';
import type { BorrowerBehaviour, PaymentToken } from '../world/borrower-behaviour.js';
import { hashSeed, seededRandom } from '../world/seeded-random.js';

/** The findings a borrower may tell a callback in a simulation (the `reports` column). */
export const REPORTABLE_FINDINGS = ['income_decline', 'lost_ability', 'evasion', 'health', 'vehicle_damaged'] as const;
export type ReportableFinding = (typeof REPORTABLE_FINDINGS)[number];

export interface RiskProfile {
  /** Chance that an instalment is paid late, and how late (days, uniform). */
  late: number;
  lateDays: [number, number];
  /** Chance per instalment that the borrower stops paying for good: that instalment and every later one missed. */
  stopPaying: number;
  /** Chance per instalment that the loan is paid off in full on that due date. */
  payoff: number;
  /** Chance per year that the borrower tells a callback each finding. */
  findingsPerYear: Record<ReportableFinding, number>;
  /** Chance that a callback attempt reaches the borrower. */
  answerRate: number;
}

/**
 * Assumptions, not data: tune them to the lender's own history before reading a forecast. Roughly: 2% / 6% /
 * 15% of instalments late, 0.6% / 2.4% / 7% of loans a year stop paying, a few percent repay early.
 */
export const RISK_PROFILES: Record<RiskRating, RiskProfile> = {
  low: {
    late: 0.02,
    lateDays: [1, 5],
    stopPaying: 0.0005,
    payoff: 0.003,
    findingsPerYear: { income_decline: 0.01, health: 0.005, vehicle_damaged: 0.003, lost_ability: 0.001, evasion: 0.0005 },
    answerRate: 0.9,
  },
  medium: {
    late: 0.06,
    lateDays: [1, 12],
    stopPaying: 0.002,
    payoff: 0.002,
    findingsPerYear: { income_decline: 0.03, health: 0.01, vehicle_damaged: 0.006, lost_ability: 0.004, evasion: 0.002 },
    answerRate: 0.8,
  },
  high: {
    late: 0.15,
    lateDays: [1, 25],
    stopPaying: 0.006,
    payoff: 0.001,
    findingsPerYear: { income_decline: 0.08, health: 0.02, vehicle_damaged: 0.01, lost_ability: 0.012, evasion: 0.01 },
    answerRate: 0.65,
  },
};

/**
 * A borrower for one loan, from its risk rating. The draw depends only on the seed and the loan id, so a run
 * is repeatable and adding a loan to the portfolio does not change the others.
 */
export function drawBehaviour(loan: { loanId: string; riskRating: RiskRating; product: Product; termMonths: number }, seed: number): BorrowerBehaviour {
  const profile = RISK_PROFILES[loan.riskRating];
  const random = seededRandom(hashSeed(seed, `behaviour:${loan.loanId}`));
  const payments: PaymentToken[] = [];
  for (let i = 0; i < loan.termMonths; i++) {
    if (random() < profile.stopPaying) {
      while (payments.length < loan.termMonths) payments.push({ kind: 'M' });
      break;
    }
    if (i < loan.termMonths - 1 && random() < profile.payoff) {
      payments.push({ kind: 'X' });
      break;
    }
    if (random() < profile.late) {
      const [min, max] = profile.lateDays;
      payments.push({ kind: 'L', days: min + Math.floor(random() * (max - min + 1)) });
    } else payments.push({ kind: 'P' });
  }
  const reports: { month: number; finding: Finding }[] = [];
  for (let month = 1; month <= loan.termMonths; month++) {
    for (const finding of REPORTABLE_FINDINGS) {
      if (finding === 'vehicle_damaged' && loan.product !== 'car') continue;
      if (random() < profile.findingsPerYear[finding] / 12) reports.push({ month, finding });
    }
  }
  return { payments, reports, answerRate: profile.answerRate };
}

/** The behaviour in the portfolio file's own notation, e.g. `P P L5 M` and `8:income_decline`. */
export function describeBehaviour(behaviour: BorrowerBehaviour): { payments: string; reports: string; answerRate: number } {
  const token = (t: PaymentToken) => (t.kind === 'L' ? `L${t.days}` : t.kind);
  return {
    payments: behaviour.payments.map(token).join(' '),
    reports: behaviour.reports.map((r) => `${r.month}:${r.finding}`).join(';'),
    answerRate: behaviour.answerRate,
  };
}
