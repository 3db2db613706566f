import { FINDINGS, type Finding } from '../../../workflows/domain/types.js';

/** What a scripted borrower does with one instalment. */
export type PaymentToken = { kind: 'P' } | { kind: 'L'; days: number } | { kind: 'M' } | { kind: 'X' };

export interface BorrowerBehaviour {
  payments: PaymentToken[];
  /** Findings the borrower tells the first callback answered in (or after) each month; month 1 follows disbursement. */
  reports: { month: number; finding: Finding }[];
  /** Chance that a callback attempt reaches the borrower. */
  answerRate: number;
}

export class BehaviourError extends Error {
  override name = 'BehaviourError';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** `P` on time, `L<n>` n days late, `M` never, `X` paid off on that due date; separated by spaces. */
export function parsePayments(text: string): PaymentToken[] {
  const tokens = text.trim() === '' ? [] : text.trim().split(/\s+/);
  return tokens.map((token, index) => {
    if (token === 'P' || token === 'M' || token === 'X') return { kind: token };
    const late = /^L(\d{1,3})$/.exec(token);
    if (late && Number(late[1]) >= 1) return { kind: 'L', days: Number(late[1]) };
    throw new BehaviourError('payments', `token ${index + 1} "${token}" must be P, L<days>, M or X`);
  });
}

/** `<month>:<finding>` pairs separated by `;`, e.g. `8:income_decline;14:lost_ability`. */
export function parseReports(text: string): BorrowerBehaviour['reports'] {
  if (text.trim() === '') return [];
  return text.split(';').map((part, index) => {
    const match = /^\s*(\d{1,3})\s*:\s*([a-z_]+)\s*$/.exec(part);
    if (!match) throw new BehaviourError('reports', `entry ${index + 1} "${part}" must look like 8:income_decline`);
    const finding = match[2] as Finding;
    if (!FINDINGS.includes(finding)) throw new BehaviourError('reports', `entry ${index + 1}: unknown finding "${match[2]}"`);
    const month = Number(match[1]);
    if (month < 1) throw new BehaviourError('reports', `entry ${index + 1}: month must be at least 1`);
    return { month, finding };
  });
}

export function parseAnswerRate(value: string | number | undefined): number {
  if (value === undefined || value === '') return 1;
  const rate = Number(value);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) throw new BehaviourError('answerRate', `"${value}" must be a number from 0 to 1`);
  return rate;
}

export function behaviour(input: { payments?: string; reports?: string; answerRate?: string | number }): BorrowerBehaviour {
  return { payments: parsePayments(input.payments ?? ''), reports: parseReports(input.reports ?? ''), answerRate: parseAnswerRate(input.answerRate) };
}
