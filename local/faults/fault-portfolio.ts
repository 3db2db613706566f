// The portfolio the fault suite runs: every product and risk rating, borrowers drawn by risk rating, and a few
// scripted stories so every kind of message goes out (overdue ladder to a legal referral, hardship, a
// first contact nobody answers, payoffs, loans that close). Deterministic for a count and a seed.
import { onboardLoanSchema } from '../../functions/schemas.js';
import type { PortfolioRow } from '../portfolio-file.js';
import { drawBehaviour } from '../simulate/behaviour-draw.js';
import { behaviour } from '../world/borrower-behaviour.js';
import { hashSeed, seededRandom } from '../world/seeded-random.js';

const PRODUCTS = ['consumer', 'consumer', 'car', 'car', 'enterprise'] as const;
const RISKS = ['low', 'low', 'medium', 'medium', 'medium', 'high'] as const;
/** Most loans outlive the horizon; some close inside it (their closing messages are expected too). */
const TERMS = [36, 36, 36, 24, 12, 18] as const;
const DAY_MS = 86_400_000;

export interface FaultPortfolio {
  rows: PortfolioRow[];
  /** First disbursement. */
  from: Date;
  /** `months` after the last disbursement: every loan runs that long. */
  until: Date;
}

export function faultPortfolio(options: { loans: number; months: number; seed: number; from?: string }): FaultPortfolio {
  const random = seededRandom(hashSeed(options.seed, 'fault-portfolio'));
  const from = Date.parse(options.from ?? '2026-01-05T02:00:00Z');
  const rows: PortfolioRow[] = [];
  let last = from;
  for (let i = 0; i < options.loans; i++) {
    const product = PRODUCTS[Math.floor(random() * PRODUCTS.length)]!;
    const riskRating = RISKS[Math.floor(random() * RISKS.length)]!;
    const termMonths = TERMS[Math.floor(random() * TERMS.length)]!;
    const newYork = random() < 0.1;
    const disbursed = from + Math.floor(random() * 28) * DAY_MS + Math.floor(random() * 8) * 3_600_000;
    last = Math.max(last, disbursed);
    const request = onboardLoanSchema.parse({
      loanId: `FLT-${String(i + 1).padStart(4, '0')}`,
      product,
      riskRating,
      borrowerType: product === 'enterprise' ? (random() < 0.5 ? 'small_business' : 'self_employed') : 'individual',
      principal: Math.round(
        product === 'enterprise' ? 200_000 + random() * 800_000 : product === 'car' ? 60_000 + random() * 240_000 : 5_000 + random() * 45_000,
      ),
      annualRate: Math.round((0.04 + random() * 0.1) * 1000) / 1000,
      termMonths,
      disbursedAt: new Date(disbursed).toISOString(),
      timezone: newYork ? 'America/New_York' : 'Asia/Shanghai',
      locale: newYork ? 'en' : 'zh-CN',
      phone: newYork ? `+1212555${String(1000 + (i % 9000)).padStart(4, '0')}` : `+86138${String(10_000_000 + i).slice(-8)}`,
      email: `borrower${i + 1}@example.com`,
    });
    rows.push({ line: i + 2, request, behaviour: scriptedStory(i, termMonths) ?? drawBehaviour(request, options.seed), scripted: true });
  }
  const until = new Date(last);
  until.setUTCMonth(until.getUTCMonth() + options.months);
  return { rows, from: new Date(from), until };
}

/** Every 20th loan tells one of these stories; the others are drawn from their risk rating. */
function scriptedStory(index: number, termMonths: number): ReturnType<typeof behaviour> | undefined {
  if (index % 20 !== 7) return undefined;
  const onTime = (n: number) => Array.from({ length: n }, () => 'P').join(' ');
  switch (((index - 7) / 20) % 5) {
    case 0: // stops paying in month 5: the overdue ladder, then the legal referral at DPD 90
      return behaviour({ payments: `${onTime(4)} ${Array.from({ length: termMonths - 4 }, () => 'M').join(' ')}` });
    case 1: // hardship told to the callback in month 4, then two late instalments
      return behaviour({ payments: `${onTime(5)} L9 L12`, reports: '4:income_decline' });
    case 2: // nobody ever answers: the first contact is re-queued and the supervisors are told
      return behaviour({ answerRate: 0 });
    case 3: // pays off on the 8th due date
      return behaviour({ payments: `${onTime(7)} X` });
    default: // loses the ability to repay in month 6
      return behaviour({ reports: '6:lost_ability' });
  }
}
