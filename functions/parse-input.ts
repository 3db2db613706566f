import type * as z from 'zod';
import { ValidationError } from './errors.js';

/** Validates with zod and turns every issue into "field: reason". */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((issue) => ({
      field: issue.path.length > 0 ? issue.path.join('.') : '(body)',
      reason: issue.message,
    })),
  );
}
