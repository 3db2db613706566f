const t0 = performance.now();
const sdk = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/client-sns', '@aws-sdk/client-sesv2', '@aws-sdk/client-sfn', '@aws-sdk/client-kms'];
const mode = process.argv[2];
if (mode === 'sdkfirst') for (const s of sdk) await import(s);
const t1 = performance.now();
if (process.argv[3]) await import(process.argv[3]);
const t2 = performance.now();
process.stdout.write(`${(t1 - t0).toFixed(0)} ${(t2 - t1).toFixed(0)}\n`);
