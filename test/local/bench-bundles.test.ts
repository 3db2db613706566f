// The bench imports every Lambda bundle cold with HANDLER_ENV as its whole environment: a variable a handler
// reads at import and the bench does not set fails that import (and the bench) before anything is measured.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HANDLER_ENV } from '../../local/bench/bundles.js';

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourcesUnder(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe("the bench's handler environment", () => {
  it('sets every variable the functions read', () => {
    const read = new Set<string>();
    for (const file of sourcesUnder('functions')) {
      for (const match of readFileSync(file, 'utf8').matchAll(/env\('([A-Z_]+)'\)|process\.env\.([A-Z_]+)/g)) read.add((match[1] ?? match[2])!);
    }
    // Read with a default when absent: the bench measures the defaults.
    for (const optional of ['ANCHOR_SCAN_SEGMENTS']) read.delete(optional);
    expect(read.size).toBeGreaterThan(5);
    expect([...read].filter((name) => !(name in HANDLER_ENV)).sort()).toEqual([]);
  });
});
