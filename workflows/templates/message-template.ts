import type { TemplateKey } from '../domain/types.js';

/** One message in one locale; `{name}` placeholders are filled by renderMessage. */
export interface MessageTemplate {
  sms: string;
  emailSubject: string;
  emailBody: string;
}

export type TemplateSet = Record<TemplateKey, MessageTemplate>;
