import type { ApiPorts } from './api-ports.js';
import { getLoan } from './get-loan.js';
import { getReferralPackage } from './get-referral-package.js';
import { getReferrals } from './get-referrals.js';
import { getTasks } from './get-tasks.js';
import type { RouteHandler } from './http-handler.js';
import { postLoanEvents } from './post-loan-events.js';
import { postLoanPayments } from './post-loan-payments.js';
import { postLoanRestructure } from './post-loan-restructure.js';
import { postLoanRestructurePreview } from './post-loan-restructure-preview.js';
import { postLoanRiskRating } from './post-loan-risk-rating.js';
import { postLoanTasks } from './post-loan-tasks.js';
import { postLoans } from './post-loans.js';
import { postReferralEvents } from './post-referral-events.js';
import { postLoansImport } from './post-loans-import.js';
import { postTaskOutcome } from './post-task-outcome.js';
import type { OperationId } from './routes.js';
import { getUnsubscribe, postUnsubscribe } from './unsubscribe.js';

/** Every route's handler over the same ports (the local server; each Lambda builds only its own). */
export function createRouteHandlers(ports: ApiPorts): Record<OperationId, RouteHandler> {
  return {
    onboardLoan: postLoans(ports),
    importLoans: postLoansImport(ports),
    getLoan: getLoan(ports),
    recordPayment: postLoanPayments(ports),
    reportLoanEvent: postLoanEvents(ports),
    createLoanTask: postLoanTasks(ports),
    changeRiskRating: postLoanRiskRating(ports),
    previewRestructure: postLoanRestructurePreview(ports),
    restructureLoan: postLoanRestructure(ports),
    listTasks: getTasks(ports),
    recordTaskOutcome: postTaskOutcome(ports),
    listReferrals: getReferrals(ports),
    getReferralPackage: getReferralPackage(ports),
    recordLegalEvent: postReferralEvents(ports),
    showUnsubscribe: getUnsubscribe(ports),
    unsubscribe: postUnsubscribe(ports),
  };
}
