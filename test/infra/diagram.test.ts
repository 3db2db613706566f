import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { synthesizeDefinition } from '../../infra/asl.js';
import { aslToMermaid, DIAGRAM_END, DIAGRAM_START, replaceDiagramBlock } from '../../infra/diagram.js';
import { STATE } from '../../workflows/state-names.js';

const mermaid = aslToMermaid(synthesizeDefinition());

describe('aslToMermaid', () => {
  it('is a stateDiagram-v2 starting at AdvanceLoan', () => {
    expect(mermaid.startsWith('stateDiagram-v2\n')).toBe(true);
    expect(mermaid).toContain(`[*] --> ${STATE.AdvanceLoan}`);
  });

  it.each(Object.values(STATE))('shows state %s', (name) => {
    expect(mermaid).toMatch(new RegExp(`state "${name} \\(\\w+\\)" as ${name}\\n`));
  });

  it('labels the Choice edges with their conditions and the default', () => {
    expect(mermaid).toContain(`${STATE.ChooseNextStep} --> ${STATE.LoanClosed}: $.action == CLOSE`);
    expect(mermaid).toContain(`${STATE.ChooseNextStep} --> ${STATE.ContinueAsNew}: $.action == CONTINUE`);
    expect(mermaid).toContain(`${STATE.ChooseNextStep} --> ${STATE.Servicing}: default`);
    expect(mermaid).toContain(`${STATE.ChooseNextStep} --> ${STATE.Collections}: ($.phase is present) and ($.phase == Collections)`);
  });

  it('labels the Catch edges with the error names', () => {
    expect(mermaid).toContain(`${STATE.Legal} --> ${STATE.AdvanceLoan}: catch States.Timeout`);
    expect(mermaid).toContain(`${STATE.ContinueAsNew} --> ${STATE.CheckNextGeneration}: catch Sfn.ExecutionAlreadyExistsException`);
    expect(mermaid).toContain(`${STATE.AdvanceLoan} --> ${STATE.FlagForOperations}: catch States.ALL`);
  });

  it('ends at the terminal states', () => {
    for (const name of [STATE.LoanClosed, STATE.HandedOver, STATE.ExecutionFailed]) expect(mermaid).toContain(`${name} --> [*]`);
  });

  it('describes compound conditions', () => {
    const text = aslToMermaid({
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [{ And: [{ Variable: '$.a', NumericGreaterThan: 1 }, { Not: { Variable: '$.b', IsPresent: true } }], Next: 'D' }],
          Default: 'D',
        },
        D: { Type: 'Succeed' },
      },
    });
    expect(text).toContain('C --> D: ($.a > 1) and (not ($.b is present))');
  });
});

describe("the README's diagram", () => {
  it('is the one generated from the synthesized definition (run `npm run diagram` after changing it)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(replaceDiagramBlock(readme, mermaid));
  });
});

describe('replaceDiagramBlock', () => {
  it('replaces only what lies between the markers', () => {
    const markdown = `# Title\n${DIAGRAM_START}\nold\n${DIAGRAM_END}\nafter\n`;
    expect(replaceDiagramBlock(markdown, 'stateDiagram-v2\n')).toBe(
      `# Title\n${DIAGRAM_START}\n\`\`\`mermaid\nstateDiagram-v2\n\`\`\`\n${DIAGRAM_END}\nafter\n`,
    );
  });

  it('refuses a file without the markers', () => {
    expect(() => replaceDiagramBlock('# no markers\n', '')).toThrow(/markers/);
  });
});
