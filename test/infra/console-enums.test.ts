// The console's lists come from the domain and the API (console/domain.js, generated): a stale file or a
// hand-kept copy in the console fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSOLE_ENUMS_FILE, renderConsoleEnums } from '../../infra/console-enums.js';
import { CALL_OUTCOMES, FINDINGS, TASK_PURPOSES } from '../../workflows/domain/types.js';

const CONSOLE = 'console';

describe('the console takes its lists from the domain', () => {
  it('domain.js is what npm run console:enums writes now', () => {
    expect(readFileSync(CONSOLE_ENUMS_FILE, 'utf8')).toBe(renderConsoleEnums());
  });

  it('no other console module spells out a domain list', () => {
    const lists = [TASK_PURPOSES, FINDINGS, CALL_OUTCOMES].map((list) =>
      list
        .map((v) => `'${v}'`)
        .slice(0, 3)
        .join(', '),
    );
    for (const file of readdirSync(CONSOLE).filter((f) => f.endsWith('.js') && f !== 'domain.js')) {
      const text = readFileSync(join(CONSOLE, file), 'utf8');
      for (const list of lists) expect(text, `${file} copies ${list}…`).not.toContain(list);
    }
  });
});
