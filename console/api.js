// Talking to the operations API: the token (a dev login locally, Cognito's code flow with PKCE in AWS) and
// JSON requests whose errors are RFC 9457 problem details.
const TOKEN = 'loan-followup.token';

export class ProblemError extends Error {
  constructor(problem) {
    super(problem.detail || problem.title);
    this.problem = problem;
    this.status = problem.status;
  }
}

let config;
export async function loadConfig() {
  config ??= await (await fetch('config.json', { cache: 'no-store' })).json();
  return config;
}

export function session() {
  try {
    const s = JSON.parse(sessionStorage.getItem(TOKEN) || 'null');
    return s && s.expiresAt > Date.now() ? s : null;
  } catch {
    return null;
  }
}

function claimsOf(token) {
  const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(decodeURIComponent(escape(atob(payload))));
}

function keep(token) {
  const claims = claimsOf(token);
  const groups = [claims['cognito:groups'] ?? []].flat();
  const s = { token, username: claims.username ?? claims['cognito:username'] ?? claims.sub, groups, expiresAt: claims.exp * 1000 };
  sessionStorage.setItem(TOKEN, JSON.stringify(s));
  return s;
}

export async function devLogin(username, group) {
  const response = await fetch('api/dev/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, group }) });
  const body = await response.json();
  if (!response.ok) throw new ProblemError(body);
  return keep(body.token);
}

const b64url = (bytes) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const redirectUri = () => `${location.origin}/`;

/** Cognito managed login, authorization code with PKCE (a public client: no secret in the browser). */
export async function cognitoLogin() {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem('pkce', JSON.stringify({ verifier, state, hash: location.hash }));
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid email profile',
    code_challenge_method: 'S256',
    code_challenge: challenge,
    state,
  });
  location.assign(`${config.signInUrl}/oauth2/authorize?${query}`);
}

/** Back from Cognito with ?code=…: trades it for tokens. */
export async function completeCognitoLogin() {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (!code || config.auth !== 'cognito') return null;
  const pkce = JSON.parse(sessionStorage.getItem('pkce') || '{}');
  sessionStorage.removeItem('pkce');
  history.replaceState(null, '', `/${pkce.hash || ''}`);
  if (params.get('state') !== pkce.state) throw new Error('sign-in state mismatch');
  const response = await fetch(`${config.signInUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code,
      redirect_uri: redirectUri(),
      code_verifier: pkce.verifier,
    }),
  });
  if (!response.ok) throw new Error(`sign-in failed (${response.status})`);
  return keep((await response.json()).access_token);
}

export function logout() {
  sessionStorage.removeItem(TOKEN);
  if (config?.auth === 'cognito')
    location.assign(`${config.signInUrl}/logout?${new URLSearchParams({ client_id: config.clientId, logout_uri: redirectUri() })}`);
}

export async function api(method, path, body) {
  const s = session();
  const headers = { accept: 'application/json' };
  if (s) headers.authorization = `Bearer ${s.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`api/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const type = response.headers.get('content-type') || '';
  const data = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok)
    throw new ProblemError(typeof data === 'object' ? data : { status: response.status, title: response.statusText, detail: String(data), errors: [] });
  return { data, response };
}
