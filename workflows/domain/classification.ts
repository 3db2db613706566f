import type { Classification, Locale, WarningLevel } from './types.js';
import { CLASSIFICATIONS, WARNING_LEVELS } from './types.js';

/** Highest days past due of each category; above doubtfulMaxDpd is LOSS. */
export interface ClassificationThresholds {
  specialMentionMaxDpd: number;
  substandardMaxDpd: number;
  doubtfulMaxDpd: number;
}

export const CLASSIFICATION_LABELS: Record<Classification, Record<Locale, string>> = {
  NORMAL: { 'zh-CN': '正常', en: 'Normal' },
  SPECIAL_MENTION: { 'zh-CN': '关注', en: 'Special mention' },
  SUBSTANDARD: { 'zh-CN': '次级', en: 'Substandard' },
  DOUBTFUL: { 'zh-CN': '可疑', en: 'Doubtful' },
  LOSS: { 'zh-CN': '损失', en: 'Loss' },
};

function byDpd(dpd: number, t: ClassificationThresholds): Classification {
  if (dpd <= 0) return 'NORMAL';
  if (dpd <= t.specialMentionMaxDpd) return 'SPECIAL_MENTION';
  if (dpd <= t.substandardMaxDpd) return 'SUBSTANDARD';
  if (dpd <= t.doubtfulMaxDpd) return 'DOUBTFUL';
  return 'LOSS';
}

/** Five-category classification by days past due; an INTERMEDIATE or higher warning is at least SPECIAL_MENTION. */
export function classify(input: { dpd: number; warningLevel: WarningLevel }, thresholds: ClassificationThresholds): Classification {
  const fromDpd = byDpd(input.dpd, thresholds);
  const warned = WARNING_LEVELS.indexOf(input.warningLevel) >= WARNING_LEVELS.indexOf('INTERMEDIATE');
  if (warned && CLASSIFICATIONS.indexOf(fromDpd) < CLASSIFICATIONS.indexOf('SPECIAL_MENTION')) return 'SPECIAL_MENTION';
  return fromDpd;
}
