// Checking a policy document against the schema, with errors that name each field. Apart from load-policy.ts
// (which reads files), so the Lambda bundles, which carry the policies as modules, do not take in file
// reading and its `import.meta.url`.
// Namespace import: lets esbuild drop zod's locales from the Lambda bundles (450 KB -> 85 KB).
import type * as z from 'zod';
import { policySchema, type FollowUpPolicy } from './policy-schema.js';

export interface PolicyIssue {
  /** Dotted field path, e.g. periodic.intervalMonths.low; '(root)' for the document itself. */
  path: string;
  message: string;
}

/** A policy file that cannot be used; the message names the source, each field and what is wrong with it. */
export class PolicyValidationError extends Error {
  override readonly name = 'PolicyValidationError';

  constructor(
    readonly source: string,
    readonly issues: PolicyIssue[],
  ) {
    super(issues.map((i) => `${source}: ${i.path}: ${i.message}`).join('\n'));
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  const text = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
  return text || '(root)';
}

function issuesOf(error: z.ZodError): PolicyIssue[] {
  return error.issues.flatMap((issue) =>
    // Name each unknown field on its own path rather than reporting them all on the parent object.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown field' }))
      : [{ path: formatPath(issue.path), message: issue.message }],
  );
}

export function parsePolicy(json: unknown, source: string): FollowUpPolicy {
  const result = policySchema.safeParse(json);
  if (!result.success) throw new PolicyValidationError(source, issuesOf(result.error));
  return result.data;
}
