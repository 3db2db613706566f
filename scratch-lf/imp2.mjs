const t0 = performance.now();
const out = [];
for (const s of process.argv.slice(2)) { const t = performance.now(); await import(s); out.push(`${s.replace('@aws-sdk/', '')}=${(performance.now() - t).toFixed(0)}`); }
process.stdout.write(out.join(' ') + ` total=${(performance.now() - t0).toFixed(0)}\n`);
