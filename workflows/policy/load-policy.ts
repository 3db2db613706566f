import { readFileSync } from 'node:fs';
// Namespace import: lets esbuild drop zod's locales from the Lambda bundles (450 KB -> 85 KB).
import * as z from 'zod';
import { PRODUCTS, type Product } from '../domain/types.js';
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

function readJson(file: string | URL, source: string): unknown {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PolicyValidationError(source, [{ path: '(root)', message: `not valid JSON: ${(error as Error).message}` }]);
  }
}

/** The shipped policy of a product, or `overrideFile` instead; either must be valid and for that product. */
export function loadPolicy(product: Product, overrideFile?: string): FollowUpPolicy {
  const source = overrideFile ?? `${product}.json`;
  const file = overrideFile ?? new URL(`./${product}.json`, import.meta.url);
  const policy = parsePolicy(readJson(file, source), source);
  if (policy.product !== product) {
    throw new PolicyValidationError(source, [{ path: 'product', message: `is "${policy.product}" but the policy was loaded for "${product}"` }]);
  }
  return policy;
}

export function loadAllPolicies(): Record<Product, FollowUpPolicy> {
  return Object.fromEntries(PRODUCTS.map((product) => [product, loadPolicy(product)])) as Record<Product, FollowUpPolicy>;
}
