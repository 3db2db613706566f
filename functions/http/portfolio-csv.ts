// The portfolio CSV of `npm run simulate` and infra/local/sample-portfolio.csv: a header row, one loan a row.
// The simulated borrower's behaviour columns are not loan data and are ignored here.

export const BEHAVIOUR_COLUMNS = new Set(['payments', 'reports', 'answerRate']);
const NUMERIC_COLUMNS = new Set(['principal', 'annualRate', 'termMonths']);

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
