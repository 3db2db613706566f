import { measureBundles, sdkImportMs } from '../infra/local/bench/bundles.ts';
const figures = await measureBundles({ runs: Number(process.env.RUNS ?? 5) });
for (const b of figures) console.log(b.name.padEnd(28), (b.bytes / 1024).toFixed(0).padStart(5), 'KB', b.coldImportMs.toFixed(0).padStart(5), 'ms', b.runs.map((r) => r.toFixed(0)).join(','));
console.log('sdk', (await sdkImportMs()).toFixed(0));
