// GSM 03.38 default alphabet: one septet each; the extension table costs two (escape + character).
const GSM_BASIC = new Set('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà');
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export function smsEncoding(text: string): SmsEncoding {
  for (const char of text) if (!GSM_BASIC.has(char) && !GSM_EXTENSION.has(char)) return 'UCS-2';
  return 'GSM-7';
}

/** Size of each character in the encoding's units: septets for GSM-7, UTF-16 code units for UCS-2. */
function unitSizes(text: string, encoding: SmsEncoding): number[] {
  return [...text].map((char) => (encoding === 'GSM-7' ? (GSM_EXTENSION.has(char) ? 2 : 1) : char.length));
}

/**
 * Segments the text is sent in: GSM-7 160 septets alone or 153 per part, UCS-2 70 code units alone or 67 per
 * part. A part never splits an escape pair or a surrogate pair, as phones do not either.
 */
export function smsSegments(text: string): number {
  const encoding = smsEncoding(text);
  const sizes = unitSizes(text, encoding);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  const [single, perPart] = encoding === 'GSM-7' ? [160, 153] : [70, 67];
  if (total <= single) return 1;
  let parts = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > perPart) {
      parts += 1;
      used = 0;
    }
    used += size;
  }
  return parts;
}
