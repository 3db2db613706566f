import { readFileSync } from 'node:fs';
import { BEHAVIOUR_COLUMNS, disbursedAtOf, NUMERIC_COLUMNS, splitCsvLine } from '../functions/http/portfolio-csv.js';
import { onboardLoanSchema, type OnboardLoanRequest } from '../functions/schemas.js';
import { BehaviourError, behaviour, type BorrowerBehaviour } from './world/borrower-behaviour.js';

export interface PortfolioRow {
  line: number;
  request: OnboardLoanRequest;
  behaviour: BorrowerBehaviour;
  /** Whether the row scripts its borrower (any behaviour column given); simulate draws the rest. */
  scripted?: boolean;
}

export class PortfolioError extends Error {
  override name = 'PortfolioError';
  constructor(readonly problems: { line: number; field: string; reason: string }[]) {
    super(problems.map((p) => `line ${p.line}: ${p.field}: ${p.reason}`).join('\n'));
  }
}

const NUMERIC = NUMERIC_COLUMNS;
const BEHAVIOUR = BEHAVIOUR_COLUMNS;

/** Reads a portfolio as CSV (header row) or JSON lines; every malformed row is reported before anything runs. */
export function readPortfolio(file: string): PortfolioRow[] {
  const text = readFileSync(file, 'utf8');
  const records = file.endsWith('.jsonl') || file.endsWith('.ndjson') ? parseJsonLines(text) : parseCsv(text);
  const rows: PortfolioRow[] = [];
  const problems: PortfolioError['problems'] = [];
  for (const { line, fields, error } of records) {
    if (error) {
      problems.push({ line, field: '(row)', reason: error });
      continue;
    }
    const loanFields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
      if (BEHAVIOUR.has(key) || value === '' || value === undefined) continue;
      loanFields[key] = NUMERIC.has(key) && typeof value === 'string' ? Number(value) : value;
    }
    // A plain date, as lenders' exports write it: 10:00 that day in the row's time zone.
    if (loanFields.disbursedAt !== undefined) loanFields.disbursedAt = disbursedAtOf(loanFields.disbursedAt, loanFields.timezone);
    const parsed = onboardLoanSchema.safeParse(loanFields);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ line, field: issue.path.join('.') || '(row)', reason: issue.message });
      continue;
    }
    try {
      const scripted = [...BEHAVIOUR].some((key) => fields[key] !== undefined && fields[key] !== '');
      const script = behaviour({
        payments: str(fields.payments),
        reports: str(fields.reports),
        answerRate: fields.answerRate as string | number | undefined,
        promises: str(fields.promises),
        reviews: str(fields.reviews),
        legal: str(fields.legal),
        collateralEvents: str(fields.collateralEvents),
      });
      rows.push({ line, request: parsed.data, behaviour: script, scripted });
    } catch (error) {
      if (!(error instanceof BehaviourError)) throw error;
      problems.push({ line, field: error.field, reason: error.message.slice(error.field.length + 2) });
    }
  }
  const seen = new Map<string, number>();
  for (const row of rows) {
    const first = seen.get(row.request.loanId);
    if (first !== undefined) problems.push({ line: row.line, field: 'loanId', reason: `duplicate of line ${first}` });
    else seen.set(row.request.loanId, row.line);
  }
  if (problems.length > 0) throw new PortfolioError(problems);
  return rows;
}

function str(value: unknown): string | undefined {
  return value === undefined ? undefined : String(value);
}

type RawRecord = { line: number; fields: Record<string, unknown>; error?: string };

function parseJsonLines(text: string): RawRecord[] {
  return text.split('\n').flatMap((raw, index) => {
    if (raw.trim() === '') return [];
    try {
      const value = JSON.parse(raw);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ line: index + 1, fields: {}, error: 'must be a JSON object' }];
      return [{ line: index + 1, fields: value as Record<string, unknown> }];
    } catch (error) {
      return [{ line: index + 1, fields: {}, error: `malformed JSON (${(error as Error).message})` }];
    }
  });
}

function parseCsv(text: string): RawRecord[] {
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.trim());
  const out: RawRecord[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const cells = splitCsvLine(raw);
    if (cells.length !== header.length) {
      out.push({ line: i + 1, fields: {}, error: `has ${cells.length} columns, the header has ${header.length}` });
      continue;
    }
    out.push({ line: i + 1, fields: Object.fromEntries(header.map((h, j) => [h, cells[j]!.trim()])) });
  }
  return out;
}
