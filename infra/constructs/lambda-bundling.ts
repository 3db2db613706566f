// How every Lambda is bundled: one set of esbuild options, read by the construct (cdk deploy) and by the bench.

/** The esbuild options, in esbuild's own terms. */
export const LAMBDA_ESBUILD = {
  platform: 'node',
  target: 'node22',
  // CommonJS: the runtime's SDK is CommonJS, and an ES module importing it makes Node scan each SDK package for
  // its exports first; a require does not (measured cold imports: 77-122 ms instead of 112-230 ms, `npm run
  // bench`). Dependencies still come in through their ES module builds (mainFields), so esbuild can leave out
  // what is not used.
  format: 'cjs',
  mainFields: ['module', 'main'],
  minify: true,
  // Minifying renames classes; our errors take their `name` from the class, and the state machine's
  // Retry/Catch and the API's problem types match on it.
  keepNames: true,
  sourcemap: true,
  // The Node.js 22 runtime ships SDK v3: leaving it out keeps every bundle well under 500 KB and cold imports
  // fast. Everything else (zod, luxon, Powertools, libphonenumber) is bundled and pinned.
  external: ['@aws-sdk/*'],
} as const;
