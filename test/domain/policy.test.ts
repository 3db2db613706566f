import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRODUCTS } from '../../workflows/domain/types.js';
import { loadAllPolicies, loadPolicy, parsePolicy, PolicyValidationError } from '../../workflows/policy/load-policy.js';

const shipped = () => structuredClone(loadPolicy('car')) as Record<string, any>;

function refusal(json: unknown, source = 'car.json'): PolicyValidationError {
  try {
    parsePolicy(json, source);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyValidationError);
    return error as PolicyValidationError;
  }
  throw new Error('policy was accepted');
}

describe('shipped policies', () => {
  it('are all valid and each is for its own product', () => {
    const policies = loadAllPolicies();
    expect(Object.keys(policies).sort()).toEqual([...PRODUCTS].sort());
    for (const product of PRODUCTS) expect(policies[product].product).toBe(product);
  });

  it('carry the agreed defaults', () => {
    const { car } = loadAllPolicies();
    expect(car.firstContact).toEqual({ withinDays: 7, maxRequeues: 3, requeuePriorityStep: 10 });
    expect(car.overdue.collectionDpd).toEqual([3, 7, 15]);
    expect(car.classification).toEqual({ specialMentionMaxDpd: 90, substandardMaxDpd: 270, doubtfulMaxDpd: 360 });
    expect(car.reminders.localTime).toBe('10:00');
    expect(car.contact.supportPhone).toBe('400-820-8820');
  });

  it('ask for a collateral review from INTERMEDIATE for car loans only', () => {
    const { car, enterprise, consumer } = loadAllPolicies();
    expect(car.escalation.collateralReviewFrom).toBe('INTERMEDIATE');
    expect(enterprise.escalation.collateralReviewFrom).toBeNull();
    expect(consumer.escalation.collateralReviewFrom).toBeNull();
  });
});

describe('parsePolicy refuses', () => {
  it('an unknown field, naming it', () => {
    const json = shipped();
    json.periodic.fieldVisit.everyWeek = true;
    const error = refusal(json);
    expect(error.name).toBe('PolicyValidationError');
    expect(error.message).toBe('car.json: periodic.fieldVisit.everyWeek: unknown field');
  });

  it('an unknown top-level field', () => {
    expect(refusal({ ...shipped(), legalTeam: 'x' }).message).toBe('car.json: legalTeam: unknown field');
  });

  it('a wrong type', () => {
    const json = shipped();
    json.reminders.dueDaySms = 'yes';
    const error = refusal(json);
    expect(error.issues.map((i) => i.path)).toEqual(['reminders.dueDaySms']);
    expect(error.message).toMatch(/^car\.json: reminders\.dueDaySms: .*boolean/);
  });

  it('a value out of range, with the bound', () => {
    const json = shipped();
    json.periodic.intervalMonths.low = 13;
    expect(refusal(json).message).toBe('car.json: periodic.intervalMonths.low: Number must be less than or equal to 12');
    json.periodic.intervalMonths.low = 3;
    json.firstContact.withinDays = 0;
    expect(refusal(json).message).toBe('car.json: firstContact.withinDays: Number must be greater than or equal to 1');
  });

  it('a fraction where a whole number is needed, a missing field, a malformed time or email', () => {
    const json = shipped();
    json.handover.maxAgeDays = 100.5;
    delete json.checks.completeWithinDays;
    json.tasks.localTime = '9am';
    json.contact.supportEmail = 'care';
    json.overdue.collectionDpd = [3, 'x'];
    const paths = refusal(json)
      .issues.map((i) => i.path)
      .sort();
    expect(paths).toEqual(['checks.completeWithinDays', 'contact.supportEmail', 'handover.maxAgeDays', 'overdue.collectionDpd[1]', 'tasks.localTime']);
  });

  it('an unknown finding or product', () => {
    const json = shipped();
    json.escalation.advancedFindings = ['lost_ability', 'went_fishing'];
    json.product = 'mortgage';
    expect(
      refusal(json)
        .issues.map((i) => i.path)
        .sort(),
    ).toEqual(['escalation.advancedFindings[1]', 'product']);
  });

  it('day60 not after day30, on the day60 path', () => {
    const json = shipped();
    json.checks.day60 = 30;
    expect(refusal(json).message).toBe('car.json: checks.day60: must be greater than checks.day30 (30)');
  });

  it('DPD lists out of order, each on its own path', () => {
    const json = shipped();
    json.overdue.collectionDpd = [3, 15, 7];
    json.overdue.followupSmsDpd = [7, 7];
    expect(refusal(json).issues).toEqual([
      { path: 'overdue.collectionDpd', message: 'must be strictly ascending' },
      { path: 'overdue.followupSmsDpd', message: 'must be strictly ascending' },
    ]);
  });

  it('classification thresholds not strictly ascending', () => {
    const json = shipped();
    json.classification = { specialMentionMaxDpd: 90, substandardMaxDpd: 90, doubtfulMaxDpd: 80 };
    expect(refusal(json).issues.map((i) => i.path)).toEqual(['classification.substandardMaxDpd', 'classification.doubtfulMaxDpd']);
  });

  it('a legal referral before the last collection call', () => {
    const json = shipped();
    json.overdue.legalReferralDpd = 10;
    expect(refusal(json).issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'overdue.legalReferralDpd: must be at least the last overdue.collectionDpd (15)',
      'overdue.ladderEndDpd: must be less than overdue.legalReferralDpd (10)',
    ]);
  });

  it('something that is not an object at all', () => {
    expect(refusal([], 'x.json').message).toMatch(/^x\.json: \(root\): /);
  });
});

describe('loadPolicy with an override file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'policy-'));
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('uses a valid override', () => {
    const json = shipped();
    json.reminders.daysBefore = 5;
    expect(loadPolicy('car', write('ok.json', JSON.stringify(json))).reminders.daysBefore).toBe(5);
  });

  it('names the file in the error', () => {
    const json = shipped();
    json.handover.maxIterations = 99;
    const file = write('bad.json', JSON.stringify(json));
    expect(() => loadPolicy('car', file)).toThrow(`${file}: handover.maxIterations: Number must be greater than or equal to 100`);
  });

  it('refuses malformed JSON and a policy for another product', () => {
    const broken = write('broken.json', '{ "product": ');
    expect(() => loadPolicy('car', broken)).toThrow(PolicyValidationError);
    expect(() => loadPolicy('car', broken)).toThrow(/not valid JSON/);
    const consumer = write(
      'consumer.json',
      JSON.stringify({ ...shipped(), product: 'consumer', escalation: { ...shipped().escalation, collateralReviewFrom: null } }),
    );
    expect(() => loadPolicy('car', consumer)).toThrow(/product: is "consumer" but the policy was loaded for "car"/);
  });
});

describe('the hard limits of a Standard execution', () => {
  it('noncompliant: more steps a generation than 25,000 history events allow', () => {
    const json = JSON.parse(JSON.stringify(loadAllPolicies().car));
    json.handover.maxIterations = 2000;
    expect(() => parsePolicy(json, 'car.json')).toThrow('car.json: handover.maxIterations: Number must be less than or equal to 1500');
  });

  it('noncompliant: a generation older than a year', () => {
    const json = JSON.parse(JSON.stringify(loadAllPolicies().car));
    json.handover.maxAgeDays = 365;
    expect(() => parsePolicy(json, 'car.json')).toThrow('car.json: handover.maxAgeDays: Number must be less than or equal to 360');
  });
});
