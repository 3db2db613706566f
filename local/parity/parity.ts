// `npm run parity`: a second opinion on the definition. The stories run on the local engine (aws-local-stepfunctions),
// then again on moto's port of LocalStack's interpreter with the recorded task results; both must enter the same
// states in the same order and give each task the same input. Exits 1 on any difference, 0 when all agree or when
// python3 with moto is not there to ask.
import { describeDifference, verdictTable } from './parity-report.js';
import { hasMoto } from './replay-on-moto.js';
import { runParity } from './run-parity.js';

if (!hasMoto()) {
  console.log('skipped: python3 with moto not found');
  process.exit(0);
}

const result = await runParity();
const differences = result.verdicts.flatMap((v) => v.differences);
console.log(`local engine: aws-local-stepfunctions; second opinion: moto ${result.moto}\n`);
console.log(verdictTable(result.verdicts));
for (const [engine, states] of Object.entries(result.neverEntered)) {
  if (states.length > 0) console.log(`\nstates no story entered on ${engine}: ${states.join(', ')}`);
}
if (differences.length > 0) {
  console.log(`\n${differences.length} difference${differences.length === 1 ? '' : 's'}:`);
  for (const d of differences) console.log(`  ${describeDifference(d)}`);
  process.exit(1);
}
console.log(`\nall ${result.verdicts.length} stories agree`);
