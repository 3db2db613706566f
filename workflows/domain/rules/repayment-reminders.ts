import { addLocalDays, atLocalTime, localDate } from '../local-time.js';
import type { StepContext } from '../step-context.js';
import type { Instalment } from '../types.js';
import { messageParams } from './message-params.js';

export interface ReminderSlot {
  key: string;
  at: string;
  instalment: Instalment;
  dueDay: boolean;
}

/** Reminder times of the unpaid instalments: N days before, and on the due date itself. */
export function reminderSlots(ctx: StepContext): ReminderSlot[] {
  const slots: ReminderSlot[] = [];
  for (const instalment of ctx.instalments) if (!instalment.paidAt) slots.push(...instalmentReminderSlots(ctx, instalment));
  return slots;
}

/** The reminder times of one instalment (paid or not). */
export function instalmentReminderSlots(ctx: StepContext, instalment: Instalment): ReminderSlot[] {
  const { policy, loan } = ctx;
  const before = atLocalTime(addLocalDays(instalment.dueDate, -policy.reminders.daysBefore), policy.reminders.localTime, loan.timezone);
  const slots: ReminderSlot[] = [{ key: `REMINDER:${instalment.seq}:BEFORE`, at: before, instalment, dueDay: false }];
  if (policy.reminders.dueDaySms) {
    const onDay = atLocalTime(instalment.dueDate, policy.reminders.localTime, loan.timezone);
    slots.push({ key: `REMINDER:${instalment.seq}:DUE`, at: onDay, instalment, dueDay: true });
  }
  return slots;
}

export function sendRepaymentReminders(ctx: StepContext): void {
  const endOfDueDay = (i: Instalment) => atLocalTime(addLocalDays(i.dueDate, 1), '00:00', ctx.loan.timezone);
  // An instalment due after `latest` has both its reminders on a local date after today, so still ahead (a
  // later local date is a later instant): it is passed over without working out their times.
  const latest = addLocalDays(localDate(ctx.now, ctx.loan.timezone), ctx.policy.reminders.daysBefore);
  for (const instalment of ctx.instalments) {
    if (instalment.paidAt || instalment.dueDate > latest) continue;
    for (const slot of instalmentReminderSlots(ctx, instalment)) {
      if (slot.at > ctx.now || ctx.isDone(slot.key)) continue;
      ctx.markDone(slot.key);
      // A reminder is only useful before the instalment falls due; late steps are the overdue ladder's job.
      if (ctx.now >= endOfDueDay(slot.instalment)) continue;
      const params = messageParams(ctx, slot.instalment);
      if (slot.dueDay) ctx.send(slot.key, 'REMINDER', 'reminder_due_today', ['SMS'], params);
      else ctx.send(slot.key, 'REMINDER', 'reminder_before_due', ['SMS', 'EMAIL'], params);
    }
  }
}
