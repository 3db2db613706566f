// Who is calling: the groups and name from the token's claims. In AWS the HTTP API's Cognito JWT authorizer has
// verified the token and put its claims on the event; locally local/dev-tokens.ts does the same.
import { ForbiddenError, UnauthorizedError } from './http-errors.js';

/** Staff groups: agents, senior collectors (the middle collection tier), risk officers, the legal team, admins. */
export const GROUPS = ['agent', 'senior', 'risk', 'legal', 'admin'] as const;
export type Group = (typeof GROUPS)[number];

export interface Principal {
  /** The user's name as recorded on every change (`by`). */
  username: string;
  sub: string;
  groups: Group[];
}

export type Claims = Record<string, string | number | boolean | string[] | undefined>;

/**
 * Reads `cognito:groups` (an array, or the HTTP API's flattened "[agent risk]" string), `sub` and
 * `username` / `cognito:username`. Groups this service does not know are ignored.
 */
export function principalFromClaims(claims: Claims | undefined): Principal {
  const sub = typeof claims?.sub === 'string' ? claims.sub : undefined;
  const name = [claims?.username, claims?.['cognito:username'], sub].find((v): v is string => typeof v === 'string' && v.length > 0);
  if (!sub || !name) throw new UnauthorizedError();
  return { sub, username: safeName(name), groups: parseGroups(claims?.['cognito:groups']) };
}

function parseGroups(value: Claims[string]): Group[] {
  const raw = Array.isArray(value) ? value : typeof value === 'string' ? value.replace(/^\[|\]$/g, '').split(/[\s,]+/) : [];
  return GROUPS.filter((g) => raw.includes(g));
}

/** Names go on the timeline; anything outside the actor id alphabet is replaced. */
function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.@-]/g, '_').slice(0, 64);
}

export function requireGroup(principal: Principal, allowed: readonly Group[], what: string): void {
  if (!principal.groups.some((g) => allowed.includes(g)))
    throw new ForbiddenError(`${what} is open to ${allowed.join(', ')}; you are in ${principal.groups.join(', ') || 'no group'}`);
}
