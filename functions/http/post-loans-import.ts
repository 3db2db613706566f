import { ClientError, LoanConflictError } from '../errors.js';
import { onboardLoan } from '../onboard-loan.js';
import { parseInput } from '../parse-input.js';
import { onboardLoanSchema } from '../schemas.js';
import { DEFAULT_STARTS_PER_SECOND, realPacing, type ApiPorts, type Pacing } from './api-ports.js';
import { PayloadTooLargeError } from './http-errors.js';
import type { RouteHandler } from './http-handler.js';
import { parsePortfolioCsv } from './portfolio-csv.js';

/** Rows per request: at the default pace the import ends well inside API Gateway's 30 s. */
export const MAX_IMPORT_ROWS = 500;
/** Onboardings in flight at once; the pace, not this, bounds StartExecution calls. */
const IN_FLIGHT = 16;

type RowStatus = 'CREATED' | 'EXISTING' | 'CONFLICT' | 'INVALID' | 'FAILED';
interface RowReport {
  line: number;
  loanId: string | null;
  status: RowStatus;
  errors: { field: string; reason: string }[];
}

/**
 * POST /api/loans/import: a portfolio CSV. Every row is validated first; the valid ones are onboarded (the
 * same handler as POST /api/loans) with their workflow starts paced under the StartExecution rate.
 */
export function postLoansImport(ports: Pick<ApiPorts, 'store' | 'workflow' | 'clock' | 'logger' | 'pacing'>): RouteHandler {
  const onboard = onboardLoan(ports);
  const pacing: Pacing = ports.pacing ?? realPacing(DEFAULT_STARTS_PER_SECOND);
  return async ({ principal, body }) => {
    const rows = parsePortfolioCsv(String(body ?? ''));
    if (rows.length > MAX_IMPORT_ROWS)
      throw new PayloadTooLargeError(`(body): has ${rows.length} rows; at most ${MAX_IMPORT_ROWS} per import, split the file`, '(body)');
    const report: RowReport[] = [];
    const valid: { line: number; request: Record<string, unknown>; loanId: string }[] = [];
    const seen = new Map<string, number>();
    for (const row of rows) {
      const loanId = typeof row.fields.loanId === 'string' ? row.fields.loanId : null;
      if (row.error) {
        report.push({ line: row.line, loanId, status: 'INVALID', errors: [{ field: '(row)', reason: row.error }] });
        continue;
      }
      const request = { ...row.fields, by: principal.username };
      try {
        parseInput(onboardLoanSchema, request);
      } catch (error) {
        report.push({
          line: row.line,
          loanId,
          status: 'INVALID',
          errors: (error as { issues?: RowReport['errors'] }).issues ?? [{ field: '(row)', reason: (error as Error).message }],
        });
        continue;
      }
      const first = seen.get(loanId!);
      if (first !== undefined) {
        report.push({ line: row.line, loanId, status: 'INVALID', errors: [{ field: 'loanId', reason: `duplicate of line ${first}` }] });
        continue;
      }
      seen.set(loanId!, row.line);
      valid.push({ line: row.line, request, loanId: loanId! });
    }

    const interval = 1000 / pacing.startsPerSecond;
    const startedAt = pacing.now();
    const inFlight = new Set<Promise<void>>();
    for (const [index, row] of valid.entries()) {
      const wait = startedAt + index * interval - pacing.now();
      if (wait > 0) await pacing.sleep(wait);
      if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
      const work = onboard(row.request)
        .then((result) => void report.push({ line: row.line, loanId: row.loanId, status: result.created ? 'CREATED' : 'EXISTING', errors: [] }))
        .catch((error: unknown) => {
          if (error instanceof LoanConflictError)
            report.push({ line: row.line, loanId: row.loanId, status: 'CONFLICT', errors: [{ field: 'loanId', reason: 'exists with different details' }] });
          else if (error instanceof ClientError)
            report.push({ line: row.line, loanId: row.loanId, status: 'INVALID', errors: [{ field: error.field ?? '(row)', reason: error.message }] });
          else {
            ports.logger.error('import row failed', { line: row.line, error: error as Error });
            report.push({
              line: row.line,
              loanId: row.loanId,
              status: 'FAILED',
              errors: [{ field: '(row)', reason: 'could not be onboarded; import it again' }],
            });
          }
        })
        .finally(() => inFlight.delete(work));
      inFlight.add(work);
    }
    await Promise.all(inFlight);
    report.sort((a, b) => a.line - b.line);
    const count = (status: RowStatus) => report.filter((r) => r.status === status).length;
    return {
      status: 200,
      body: {
        rows: rows.length,
        created: count('CREATED'),
        existing: count('EXISTING'),
        rejected: report.length - count('CREATED') - count('EXISTING'),
        startsPerSecond: pacing.startsPerSecond,
        report,
      },
    };
  };
}
