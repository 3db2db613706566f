// Portfolios for the bench: n loans of every product and risk rating, disbursed over four weeks, borrowers
// drawn by risk rating (no scripted behaviour). Deterministic for n and seed.
import { writeFileSync } from 'node:fs';
import { onboardLoanSchema } from '../../functions/schemas.js';
import type { PortfolioRow } from '../portfolio-file.js';
import { behaviour } from '../world/borrower-behaviour.js';
import { hashSeed, seededRandom } from '../world/seeded-random.js';

const PRODUCTS = ['consumer', 'consumer', 'car', 'car', 'enterprise'] as const;
const RISKS = ['low', 'low', 'medium', 'medium', 'medium', 'high'] as const;

export interface SyntheticOptions {
  loans: number;
  seed?: number;
  /** Every loan this product and risk rating (the per-loan-year figure of a medium-risk loan). */
  product?: (typeof PRODUCTS)[number];
  riskRating?: (typeof RISKS)[number];
  termMonths?: number;
  /** First disbursement; loans follow over 28 days (or `spreadDays`). */
  from?: string;
  /** Days the disbursements are spread over (default 28); `npm run capacity` staggers a book over months. */
  spreadDays?: number;
}

export function syntheticRows(options: SyntheticOptions): PortfolioRow[] {
  const random = seededRandom(hashSeed(options.seed ?? 1, 'synthetic-portfolio'));
  const from = Date.parse(options.from ?? '2026-01-05T02:00:00Z');
  const rows: PortfolioRow[] = [];
  for (let i = 0; i < options.loans; i++) {
    const product = options.product ?? PRODUCTS[Math.floor(random() * PRODUCTS.length)]!;
    const riskRating = options.riskRating ?? RISKS[Math.floor(random() * RISKS.length)]!;
    const newYork = random() < 0.1;
    const disbursed = from + Math.floor(random() * (options.spreadDays ?? 28)) * 86_400_000 + Math.floor(random() * 8) * 3_600_000;
    const request = onboardLoanSchema.parse({
      loanId: `SIM-${String(i + 1).padStart(6, '0')}`,
      product,
      riskRating,
      borrowerType: product === 'enterprise' ? (random() < 0.5 ? 'small_business' : 'self_employed') : 'individual',
      principal: Math.round(
        product === 'enterprise' ? 200_000 + random() * 800_000 : product === 'car' ? 60_000 + random() * 240_000 : 5_000 + random() * 45_000,
      ),
      annualRate: Math.round((0.04 + random() * 0.1) * 1000) / 1000,
      termMonths: options.termMonths ?? 36,
      disbursedAt: new Date(disbursed).toISOString(),
      timezone: newYork ? 'America/New_York' : 'Asia/Shanghai',
      locale: newYork ? 'en' : 'zh-CN',
      phone: newYork ? `+1212555${String(1000 + (i % 9000)).padStart(4, '0')}` : `+86138${String(10_000_000 + i).slice(-8)}`,
      email: `borrower${i + 1}@example.com`,
    });
    rows.push({ line: i + 2, request, behaviour: behaviour({}), scripted: false });
  }
  return rows;
}

/** The same rows as a CSV file, for `npm run simulate -- --portfolio`. */
export function writeSyntheticCsv(file: string, rows: PortfolioRow[]): void {
  const header = 'loanId,product,riskRating,borrowerType,principal,annualRate,termMonths,disbursedAt,timezone,locale,phone,email';
  const lines = rows.map(({ request: r }) =>
    [r.loanId, r.product, r.riskRating, r.borrowerType, r.principal, r.annualRate, r.termMonths, r.disbursedAt, r.timezone, r.locale, r.phone, r.email].join(
      ',',
    ),
  );
  writeFileSync(file, `${[header, ...lines].join('\n')}\n`);
}
