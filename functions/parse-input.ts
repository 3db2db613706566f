import type * as z from 'zod';
import { ValidationError } from './errors.js';

/** Validates with zod and turns every issue into "field: reason". */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.flatMap((issue) =>
      // Each unknown field is named on its own rather than reported against the enclosing object.
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ field: [...issue.path, key].join('.'), reason: 'unknown field' }))
        : [{ field: issue.path.length > 0 ? issue.path.join('.') : '(body)', reason: issue.message }],
    ),
  );
}
