import { createRequire } from 'module';
const require = createRequire(import.meta.url);
const t0 = performance.now();
const mode = process.argv[2];
const pk = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/client-sns', '@aws-sdk/client-sesv2', '@aws-sdk/client-kms', '@aws-sdk/client-sfn'];
for (const p of pk) { if (mode === 'require') require(p); else await import(p); }
process.stdout.write(`${mode} ${(performance.now() - t0).toFixed(0)}\n`);
