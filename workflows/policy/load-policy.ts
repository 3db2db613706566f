import { readFileSync } from 'node:fs';
import { PRODUCTS, type Product } from '../domain/types.js';
import type { FollowUpPolicy } from './policy-schema.js';
import { parsePolicy, PolicyValidationError } from './parse-policy.js';

export { parsePolicy, PolicyValidationError, type PolicyIssue } from './parse-policy.js';

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
