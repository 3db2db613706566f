// The shipped policies as modules, so esbuild puts them inside each Lambda bundle (no file reads at run
// time). A policy change is a JSON edit and a deploy; the schema check runs when the function starts.
import type { Product } from '../domain/types.js';
import car from './car.json' with { type: 'json' };
import consumer from './consumer.json' with { type: 'json' };
import enterprise from './enterprise.json' with { type: 'json' };
import { parsePolicy } from './parse-policy.js';
import type { FollowUpPolicy } from './policy-schema.js';

export function bundledPolicies(): Record<Product, FollowUpPolicy> {
  return {
    car: parsePolicy(car, 'car.json'),
    consumer: parsePolicy(consumer, 'consumer.json'),
    enterprise: parsePolicy(enterprise, 'enterprise.json'),
  };
}
