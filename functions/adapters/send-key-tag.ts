// SES message tags allow only [A-Za-z0-9_-] and 256 characters. base64url is exactly that alphabet and can be
// turned back, so the receipt recorder stores the receipt under the send key itself.

export const SES_TAG_MAX = 256;

export function sendKeyTag(key: string): string {
  const tag = Buffer.from(key, 'utf8').toString('base64url');
  if (tag.length > SES_TAG_MAX) throw new RangeError(`send key too long for an SES tag (${key.length} characters): ${key.slice(0, 40)}…`);
  return tag;
}

export function sendKeyFromTag(tag: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,256}$/.test(tag)) return undefined;
  return Buffer.from(tag, 'base64url').toString('utf8');
}
