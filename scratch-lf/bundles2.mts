import { measureBundles } from '../infra/local/bench/bundles.ts';
const runs = Number(process.env.RUNS ?? 5);
const cjs = await measureBundles({ runs, format: 'cjs' });
const esm = await measureBundles({ runs, format: 'esm' });
for (let i = 0; i < cjs.length; i++) console.log(cjs[i]!.name.padEnd(26), 'cjs', cjs[i]!.coldImportMs.toFixed(0).padStart(4), (cjs[i]!.bytes / 1024).toFixed(0).padStart(4), 'KB | esm', esm[i]!.coldImportMs.toFixed(0).padStart(4), (esm[i]!.bytes / 1024).toFixed(0).padStart(4), 'KB');
