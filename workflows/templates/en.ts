import type { TemplateSet } from './message-template.js';

// Each SMS must stay one GSM-7 segment (160 septets) with the longest values; see sms-templates.test.ts.
export const enTemplates: TemplateSet = {
  welcome: {
    sms: 'Welcome! Your first instalment of {amount} is due on {dueDate}. Questions? Call {supportPhone}. Reply STOP to opt out',
    emailSubject: 'Welcome: your loan {loanRef} has been paid out',
    emailBody:
      'Dear customer,\n\nYour loan {loanRef} has been paid out. Your first instalment of {amount} is due on {dueDate}.\n\nIf you have any questions, call us on {supportPhone} or write to {supportEmail}. We are happy to help.',
  },
  reminder_before_due: {
    sms: 'Loan {loanRef}: your instalment of {amount} is due on {dueDate}. Please pay on time. Reply STOP to opt out',
    emailSubject: 'Reminder: loan {loanRef} instalment due on {dueDate}',
    emailBody:
      'Dear customer,\n\nYour instalment of {amount} for loan {loanRef} is due on {dueDate}. Please make sure your account has enough funds.\n\nIf you have already paid, please ignore this reminder. Questions? Call {supportPhone} or write to {supportEmail}.',
  },
  reminder_due_today: {
    sms: 'Loan {loanRef}: your instalment of {amount} is due today. Please pay on time. Reply STOP to opt out',
    emailSubject: 'Reminder: loan {loanRef} instalment due today',
    emailBody:
      'Dear customer,\n\nYour instalment of {amount} for loan {loanRef} is due today.\n\nIf you have already paid, please ignore this reminder. Questions? Call {supportPhone} or write to {supportEmail}.',
  },
  overdue_notice: {
    sms: 'Loan {loanRef}: your payment of {amount} is {dpd} day(s) overdue. Please pay as soon as possible. Reply STOP to opt out',
    emailSubject: 'Overdue: loan {loanRef} is {dpd} day(s) past due',
    emailBody:
      'Dear customer,\n\nYour payment of {amount} for loan {loanRef} is {dpd} day(s) overdue. Please pay as soon as possible to protect your credit record.\n\nIf you are having difficulty paying, call us on {supportPhone} or write to {supportEmail} and we will look for a solution with you.',
  },
  overdue_followup: {
    sms: 'Loan {loanRef} is {dpd} day(s) overdue. Please pay now or call us on {supportPhone}. Reply STOP to opt out',
    emailSubject: 'Still overdue: loan {loanRef} is {dpd} day(s) past due',
    emailBody:
      'Dear customer,\n\nLoan {loanRef} is {dpd} day(s) overdue. Please pay as soon as possible.\n\nIf you are having difficulty paying, call us on {supportPhone} or write to {supportEmail} and we will look for a solution with you.',
  },
  promise_reminder: {
    sms: 'Loan {loanRef}: as agreed, please pay {amount} by {dueDate}. Questions? Call {supportPhone}. Reply STOP to opt out',
    emailSubject: 'Reminder: loan {loanRef}, your payment of {amount} by {dueDate}',
    emailBody:
      'Dear customer,\n\nAs agreed on our call, please pay {amount} for loan {loanRef} by {dueDate}.\n\nIf you have already paid, please ignore this reminder. Questions? Call {supportPhone} or write to {supportEmail}.',
  },
  demand_letter: {
    sms: 'Loan {loanRef} is {dpd} days overdue. A formal demand has been sent to you. Call {supportPhone}. Reply STOP to opt out',
    emailSubject: 'Formal demand for payment: loan {loanRef}, {dpd} days overdue',
    emailBody:
      'Dear customer,\n\nFORMAL DEMAND FOR PAYMENT\n\nLoan {loanRef} is {dpd} days overdue and {amount} is due now. We have reminded you several times without result. We formally demand that you pay the amount due without delay.\n\nIf the debt remains unpaid, we may refer the loan to our legal department, which can lead to legal proceedings at your cost and will be reported to the credit bureau.\n\nTo pay or to discuss a solution, call us on {supportPhone} or write to {supportEmail}.',
  },
  recall_notice: {
    sms: 'Loan {loanRef} has been recalled: the whole balance of {amount} is due on {dueDate}. Call {supportPhone}. Reply STOP to opt out',
    emailSubject: 'Notice of early recall: loan {loanRef}, {amount} due on {dueDate}',
    emailBody:
      'Dear customer,\n\nNOTICE OF EARLY RECALL\n\nUnder the terms of your loan agreement, we have decided to recall loan {loanRef} early. The whole outstanding balance of {amount} is due on {dueDate}.\n\nTo pay or to discuss this decision, call us on {supportPhone} or write to {supportEmail}.',
  },
  restructured: {
    sms: 'Loan {loanRef} has a new schedule: {amount} a month from {dueDate}. Details by email. Reply STOP to opt out',
    emailSubject: 'Your new repayment schedule for loan {loanRef}',
    emailBody:
      'Dear customer,\n\nAs agreed, loan {loanRef} has a new repayment schedule. Your regular instalment is {amount}, the first due on {dueDate} and the last on {lastDueDate}.\n\nPlease keep to the new schedule. Questions? Call {supportPhone} or write to {supportEmail}.',
  },
  closing: {
    sms: 'Loan {loanRef} is fully repaid. Thank you for choosing us! Reply STOP to opt out',
    emailSubject: 'Loan {loanRef} is fully repaid',
    emailBody:
      'Dear customer,\n\nLoan {loanRef} is now fully repaid. Thank you for your trust!\n\nIf you have any questions, call us on {supportPhone} or write to {supportEmail}.',
  },
};
