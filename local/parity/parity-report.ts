// The parity check as text: a table of the stories (counts as local / moto where they differ), then each difference.
import type { Difference, StoryVerdict } from './compare-runs.js';

const pair = (counts: { local: number; moto: number }): string => (counts.local === counts.moto ? String(counts.local) : `${counts.local} / ${counts.moto}`);

export function verdictTable(verdicts: StoryVerdict[]): string {
  const rows = [
    ['story', 'states', 'tasks', 'errors', 'verdict'],
    ...verdicts.map((v) => [v.story, pair(v.states), pair(v.tasks), pair(v.errors), v.differences.length === 0 ? 'agree' : `DIFFER (${v.differences.length})`]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function describeDifference(d: Difference): string {
  const where = d.sequence === 'end' ? 'end' : `${d.sequence} #${d.position}`;
  return `${d.story}, ${where}, ${d.state || '-'}, ${d.field}: local ${d.local}, moto ${d.moto}`;
}
