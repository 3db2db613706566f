// The portfolio CSV of `npm run simulate` and local/sample-portfolio.csv: a header row, one loan a row.
// The simulated borrower's behaviour columns are not loan data and are ignored here.
import { atLocalTime, isValidTimeZone, toOffsetIso } from '../../workflows/domain/local-time.js';

export const BEHAVIOUR_COLUMNS = new Set(['payments', 'reports', 'answerRate', 'promises', 'reviews', 'legal', 'collateralEvents']);

/** The local time of day a plain-date `disbursedAt` (`2026-01-05`, as lenders' exports write it) is read at. */
export const PLAIN_DATE_DISBURSED_AT_TIME = '10:00';

/**
 * A `disbursedAt` written as a plain date is the disbursement at 10:00 on that day in the row's time zone
 * (`2026-01-05` in Asia/Shanghai → `2026-01-05T10:00:00.000+08:00`). Anything else (an instant, a date that does
 * not exist, a row without a valid time zone) is left for the schema to judge.
 */
export function disbursedAtOf(value: unknown, timezone: unknown): unknown {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || typeof timezone !== 'string' || !isValidTimeZone(timezone)) return value;
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return value;
  return toOffsetIso(atLocalTime(value, PLAIN_DATE_DISBURSED_AT_TIME, timezone), timezone);
}
/** Columns read as numbers. */
export const NUMERIC_COLUMNS = new Set(['principal', 'annualRate', 'termMonths', 'vehicleValue', 'collateralValue']);

export interface CsvRow {
  line: number;
  fields: Record<string, unknown>;
  error?: string;
}

/** Rows as loan fields (numbers converted, empty cells left out); a row with the wrong cell count carries an error. */
export function parsePortfolioCsv(text: string): CsvRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.trim());
  const rows: CsvRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const cells = splitCsvLine(raw);
    if (cells.length !== header.length) {
      rows.push({ line: i + 1, fields: {}, error: `has ${cells.length} columns, the header has ${header.length}` });
      continue;
    }
    const fields: Record<string, unknown> = {};
    header.forEach((name, j) => {
      const value = cells[j]!.trim();
      if (BEHAVIOUR_COLUMNS.has(name) || value === '') return;
      fields[name] = NUMERIC_COLUMNS.has(name) && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    });
    if (fields.disbursedAt !== undefined) fields.disbursedAt = disbursedAtOf(fields.disbursedAt, fields.timezone);
    rows.push({ line: i + 1, fields });
  }
  return rows;
}

export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else current += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(current);
      current = '';
    } else current += ch;
  }
  cells.push(current);
  return cells;
}
