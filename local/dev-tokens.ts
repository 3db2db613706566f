// Local stand-in for Cognito: `POST /api/dev/login {username, group}` issues an HMAC-signed token, and the local
// server verifies it and hands the handlers the same claims the HTTP API's JWT authorizer would.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { GROUPS, type Claims, type Group } from '../functions/http/principal.js';

const TOKEN_HOURS = 12;
const USERNAME = /^[A-Za-z0-9_.@-]{1,64}$/;

export interface DevTokens {
  issue(username: string, group: Group): { token: string; claims: Claims; expiresAt: string };
  /** The claims of a valid, unexpired token; undefined otherwise. */
  verify(token: string): Claims | undefined;
}

export class DevLoginError extends Error {
  override name = 'DevLoginError';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** A fresh random secret per run: tokens from an earlier run are refused. */
export function createDevTokens(options: { secret?: Buffer; now?: () => number } = {}): DevTokens {
  const secret = options.secret ?? randomBytes(32);
  const now = options.now ?? (() => Date.now());
  const sign = (data: string) => createHmac('sha256', secret).update(data).digest();
  return {
    issue(username, group) {
      if (typeof username !== 'string' || !USERNAME.test(username)) throw new DevLoginError('username', 'must be 1-64 letters, digits, ".", "_", "@" or "-"');
      if (!GROUPS.includes(group)) throw new DevLoginError('group', `must be one of ${GROUPS.join(', ')}`);
      const iat = Math.floor(now() / 1000);
      const claims: Claims = { sub: `dev-${username}`, username, 'cognito:groups': [group], iat, exp: iat + TOKEN_HOURS * 3600, token_use: 'access' };
      const data = `${b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64(JSON.stringify(claims))}`;
      return { token: `${data}.${b64(sign(data))}`, claims, expiresAt: new Date((iat + TOKEN_HOURS * 3600) * 1000).toISOString() };
    },
    verify(token) {
      const parts = typeof token === 'string' ? token.split('.') : [];
      if (parts.length !== 3) return undefined;
      const expected = sign(`${parts[0]}.${parts[1]}`);
      const given = Buffer.from(parts[2]!, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Claims;
        if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now()) return undefined;
        return claims;
      } catch {
        return undefined;
      }
    },
  };
}
