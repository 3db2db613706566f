import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AslState, StateMachineDefinition } from './asl.js';

export const DIAGRAM_START = '<!-- state-machine:start -->';
export const DIAGRAM_END = '<!-- state-machine:end -->';

const COMPARATORS: Record<string, string> = {
  StringEquals: '==',
  NumericEquals: '==',
  BooleanEquals: '==',
  TimestampEquals: '==',
  StringLessThan: '<',
  NumericLessThan: '<',
  TimestampLessThan: '<',
  StringGreaterThan: '>',
  NumericGreaterThan: '>',
  TimestampGreaterThan: '>',
  StringLessThanEquals: '<=',
  NumericLessThanEquals: '<=',
  TimestampLessThanEquals: '<=',
  StringGreaterThanEquals: '>=',
  NumericGreaterThanEquals: '>=',
  TimestampGreaterThanEquals: '>=',
  StringMatches: 'matches',
  IsPresent: 'is present',
  IsNull: 'is null',
  IsString: 'is string',
  IsNumeric: 'is numeric',
  IsBoolean: 'is boolean',
  IsTimestamp: 'is timestamp',
};

/** A JSONPath Choice rule as short text, e.g. `$.action == CLOSE`. */
export function describeCondition(rule: Record<string, unknown>): string {
  if (Array.isArray(rule.And)) return rule.And.map((r) => `(${describeCondition(r)})`).join(' and ');
  if (Array.isArray(rule.Or)) return rule.Or.map((r) => `(${describeCondition(r)})`).join(' or ');
  if (rule.Not && typeof rule.Not === 'object') return `not (${describeCondition(rule.Not as Record<string, unknown>)})`;
  for (const [key, value] of Object.entries(rule)) {
    const isPath = key.endsWith('Path') && key.slice(0, -4) in COMPARATORS;
    const op = COMPARATORS[isPath ? key.slice(0, -4) : key];
    if (op === undefined) continue;
    if (key.startsWith('Is')) return `${rule.Variable} ${value === false ? op.replace('is ', 'is not ') : op}`;
    return `${rule.Variable} ${op} ${String(value)}`;
  }
  if (typeof rule.Condition === 'string') return rule.Condition;
  return 'condition';
}

// Mermaid ends a label at a line break, splits statements at ';' and reads ':' as the label separator.
const label = (text: string): string => text.replace(/[;\n]/g, ',').replace(/:/g, '#58;');

/** A Mermaid stateDiagram-v2 of the definition: every state, every Next/Choice/Default/Catch edge. */
export function aslToMermaid(definition: StateMachineDefinition): string {
  const lines = ['stateDiagram-v2', `  [*] --> ${definition.StartAt}`];
  for (const [name, state] of Object.entries(definition.States) as [string, AslState][]) {
    lines.push(`  state "${name} (${state.Type})" as ${name}`);
  }
  for (const [name, state] of Object.entries(definition.States) as [string, AslState][]) {
    for (const choice of state.Choices ?? []) lines.push(`  ${name} --> ${choice.Next}: ${label(describeCondition(choice))}`);
    if (state.Default) lines.push(`  ${name} --> ${state.Default}: default`);
    if (state.Next) lines.push(`  ${name} --> ${state.Next}`);
    for (const catcher of state.Catch ?? []) lines.push(`  ${name} --> ${catcher.Next}: catch ${label(catcher.ErrorEquals.join(', '))}`);
    if (state.End || state.Type === 'Succeed' || state.Type === 'Fail') lines.push(`  ${name} --> [*]`);
  }
  return `${lines.join('\n')}\n`;
}

/** Replaces what lies between the state-machine markers of a Markdown file with a mermaid block. */
export function replaceDiagramBlock(markdown: string, mermaid: string): string {
  const start = markdown.indexOf(DIAGRAM_START);
  const end = markdown.indexOf(DIAGRAM_END);
  if (start < 0 || end < start) throw new Error(`markers ${DIAGRAM_START} and ${DIAGRAM_END} not found in order`);
  return `${markdown.slice(0, start + DIAGRAM_START.length)}\n\`\`\`mermaid\n${mermaid}\`\`\`\n${markdown.slice(end)}`;
}

async function main(args: string[]): Promise<void> {
  const { synthesizeDefinition } = await import('./asl.js');
  const mermaid = aslToMermaid(synthesizeDefinition());
  const writeIndex = args.indexOf('--write');
  if (writeIndex < 0) {
    process.stdout.write(mermaid);
    return;
  }
  const file = args[writeIndex + 1];
  if (!file) throw new Error('usage: tsx infra/diagram.ts [--write FILE]');
  writeFileSync(file, replaceDiagramBlock(readFileSync(file, 'utf8'), mermaid));
  process.stdout.write(`diagram written to ${file}\n`);
}

const isMain = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  await main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
