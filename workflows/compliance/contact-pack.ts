import type { ContactRule } from './contact-gate-types.js';

/** A jurisdiction's rules with their settings; its version is recorded on every contact it let through. */
export interface ContactPack {
  id: string;
  version: string;
  rules: { rule: ContactRule<any>; config: object }[];
}

export function pack(id: string, version: string, rules: ContactPack['rules']): ContactPack {
  return { id, version, rules };
}
