import { describe, expect, it } from 'vitest';
import { CLASSIFICATION_LABELS, classify } from '../../workflows/domain/classification.js';
import { CLASSIFICATIONS, type WarningLevel } from '../../workflows/domain/types.js';

const thresholds = { specialMentionMaxDpd: 90, substandardMaxDpd: 270, doubtfulMaxDpd: 360 };
const at = (dpd: number, warningLevel: WarningLevel = 'NONE') => classify({ dpd, warningLevel }, thresholds);

describe('classify', () => {
  it.each([
    [0, 'NORMAL'],
    [1, 'SPECIAL_MENTION'],
    [90, 'SPECIAL_MENTION'],
    [91, 'SUBSTANDARD'],
    [270, 'SUBSTANDARD'],
    [271, 'DOUBTFUL'],
    [360, 'DOUBTFUL'],
    [361, 'LOSS'],
    [2000, 'LOSS'],
  ] as const)('dpd %i is %s', (dpd, expected) => {
    expect(at(dpd)).toBe(expected);
  });

  it('lifts a current loan with an INTERMEDIATE or ADVANCED warning to SPECIAL_MENTION', () => {
    expect(at(0, 'PRIMARY')).toBe('NORMAL');
    expect(at(0, 'INTERMEDIATE')).toBe('SPECIAL_MENTION');
    expect(at(0, 'ADVANCED')).toBe('SPECIAL_MENTION');
  });

  it('never lowers a worse category because of a warning', () => {
    expect(at(200, 'INTERMEDIATE')).toBe('SUBSTANDARD');
    expect(at(400, 'ADVANCED')).toBe('LOSS');
  });

  it('follows the thresholds it is given', () => {
    expect(classify({ dpd: 31, warningLevel: 'NONE' }, { specialMentionMaxDpd: 30, substandardMaxDpd: 60, doubtfulMaxDpd: 90 })).toBe('SUBSTANDARD');
  });
});

describe('CLASSIFICATION_LABELS', () => {
  it('names every category in Chinese and English', () => {
    expect(CLASSIFICATIONS.map((c) => CLASSIFICATION_LABELS[c]['zh-CN'])).toEqual(['正常', '关注', '次级', '可疑', '损失']);
    expect(CLASSIFICATION_LABELS.SPECIAL_MENTION.en).toBe('Special mention');
    expect(CLASSIFICATIONS.every((c) => CLASSIFICATION_LABELS[c].en.length > 0)).toBe(true);
  });
});
