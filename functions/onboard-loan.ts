import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { buildInstalmentSchedule } from '../workflows/domain/schedule.js';
import { localDate } from '../workflows/domain/local-time.js';
import type { CollateralType, Contact, Loan } from '../workflows/domain/types.js';
import { executionName } from '../workflows/execution-contract.js';
import { LoanConflictError } from './errors.js';
import { parseInput } from './parse-input.js';
import type { Clock, LoanStore, WorkflowControl } from './ports.js';
import { onboardLoanSchema, type OnboardLoanRequest } from './schemas.js';

export interface OnboardLoanResult {
  loanId: string;
  created: boolean;
  executionArn: string;
  instalments: number;
  firstDueDate: string;
}

/**
 * Stores a paid-out loan with its schedule and starts its follow-up. Idempotent on the loan id: the same
 * request again returns the same loan and never starts a second execution; different details are a 409.
 * Client errors are thrown; the operations API turns them into problem details.
 */
export function onboardLoan(ports: { store: Pick<LoanStore, 'createLoan' | 'getLoan'>; workflow: WorkflowControl; clock: Clock; logger: Logger }) {
  return async (event: unknown): Promise<OnboardLoanResult> => {
    const request = parseInput(onboardLoanSchema, event);
    const now = ports.clock(request.loanId).toISOString();
    const loan = toLoan(request);
    const instalments = buildInstalmentSchedule(loan);
    const requestHash = hashRequest(request);
    const created = await ports.store.createLoan({ loan, contact: toContact(request), instalments, requestHash, now });
    if (!created) {
      const existing = await ports.store.getLoan(request.loanId);
      if (existing?.requestHash !== requestHash) throw new LoanConflictError(request.loanId);
    }
    // LOAN_ONBOARDED is recorded by the workflow's first step, as the first link of the loan's audit chain.
    const execution = await ports.workflow.startExecution({ name: executionName(loan.loanId, 0), input: { loanId: loan.loanId, generation: 0, iteration: 0 } });
    ports.logger.info(created ? 'loan onboarded' : 'loan already onboarded', { executionArn: execution.executionArn });
    return { loanId: loan.loanId, created, executionArn: execution.executionArn, instalments: instalments.length, firstDueDate: instalments[0]!.dueDate };
  };
}

/** The loan as onboarding stores it (principal in fen, disbursement in UTC). */
export function toLoan(request: OnboardLoanRequest): Loan {
  return {
    loanId: request.loanId,
    product: request.product,
    riskRating: request.riskRating,
    borrowerType: request.borrowerType,
    principal: Math.round(request.principal * 100),
    annualRate: request.annualRate,
    termMonths: request.termMonths,
    disbursedAt: new Date(request.disbursedAt).toISOString(),
    timezone: request.timezone,
    locale: request.locale,
    onboardedBy: request.by,
    ...collateralOf(request),
  };
}

/** What secures the loan, in minor units; valued on the disbursement date when no date is given. */
function collateralOf(request: OnboardLoanRequest): Pick<Loan, 'collateral'> {
  const disbursedOn = localDate(request.disbursedAt, request.timezone);
  if (request.vehicleValue !== undefined) {
    return {
      collateral: {
        type: 'vehicle',
        value: Math.round(request.vehicleValue * 100),
        valuedAt: request.vehicleValuedAt ?? disbursedOn,
        ...(request.vehicleMake ? { make: request.vehicleMake } : {}),
        ...(request.vehicleModel ? { model: request.vehicleModel } : {}),
      },
    };
  }
  if (request.collateralType !== undefined && request.collateralValue !== undefined) {
    return {
      collateral: {
        type: request.collateralType as CollateralType,
        value: Math.round(request.collateralValue * 100),
        valuedAt: request.collateralValuedAt ?? disbursedOn,
      },
    };
  }
  return {};
}

/** Personal data, the collateral's identity with it. */
function toContact(request: OnboardLoanRequest): Contact {
  return {
    phone: request.phone,
    email: request.email,
    ...(request.vehiclePlate ? { vehiclePlate: request.vehiclePlate } : {}),
    ...(request.vehicleVin ? { vehicleVin: request.vehicleVin } : {}),
    ...(request.collateralDescription ? { collateralDescription: request.collateralDescription } : {}),
  };
}

/** Who sends it is not part of the loan: the same loan onboarded by another user is still the same loan. */
function hashRequest(request: OnboardLoanRequest): string {
  const { by: _by, ...fields } = request;
  const canonical = JSON.stringify(
    Object.keys(fields)
      .sort()
      .map((k) => [k, fields[k as keyof typeof fields]]),
  );
  return createHash('sha256').update(canonical).digest('hex');
}
