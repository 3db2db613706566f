import type { TemplateSet } from './message-template.js';

// Each SMS must stay one UCS-2 segment (70 characters) with the longest values; see sms-templates.test.ts.
export const zhCnTemplates: TemplateSet = {
  welcome: {
    sms: '欢迎！您的首期应还{amount}，{dueDate}到期。咨询请致电{supportPhone}。回T退订',
    emailSubject: '欢迎：您的贷款{loanRef}已放款',
    emailBody:
      '尊敬的客户：\n\n您的贷款{loanRef}已放款。首期应还{amount}，{dueDate}到期，请按时还款。\n\n如有疑问，请致电{supportPhone}或发邮件至{supportEmail}，我们很乐意为您服务。',
  },
  reminder_before_due: {
    sms: '您的贷款{loanRef}本期应还{amount}，{dueDate}到期，请按时还款。回T退订',
    emailSubject: '还款提醒：贷款{loanRef}将于{dueDate}到期',
    emailBody:
      '尊敬的客户：\n\n您的贷款{loanRef}本期应还{amount}，将于{dueDate}到期，请确保账户余额充足。\n\n如已还款请忽略本提醒。如有疑问，请致电{supportPhone}或发邮件至{supportEmail}。',
  },
  reminder_due_today: {
    sms: '您的贷款{loanRef}今日到期，应还{amount}，请及时还款。回T退订',
    emailSubject: '还款提醒：贷款{loanRef}今日到期',
    emailBody:
      '尊敬的客户：\n\n您的贷款{loanRef}本期今日到期，应还{amount}，请及时还款。\n\n如已还款请忽略本提醒。如有疑问，请致电{supportPhone}或发邮件至{supportEmail}。',
  },
  overdue_notice: {
    sms: '您的贷款{loanRef}已逾期{dpd}天，应还{amount}，请尽快还款。回T退订',
    emailSubject: '逾期通知：贷款{loanRef}已逾期{dpd}天',
    emailBody:
      '尊敬的客户：\n\n您的贷款{loanRef}已逾期{dpd}天，尚欠{amount}。请尽快还款，以免影响您的信用记录。\n\n如还款遇到困难，请致电{supportPhone}或发邮件至{supportEmail}，我们将与您商量解决办法。',
  },
  overdue_followup: {
    sms: '您的贷款{loanRef}已逾期{dpd}天，请尽快还款或致电{supportPhone}。回T退订',
    emailSubject: '逾期提醒：贷款{loanRef}已逾期{dpd}天',
    emailBody:
      '尊敬的客户：\n\n您的贷款{loanRef}已逾期{dpd}天，请尽快还款。\n\n如还款遇到困难，请致电{supportPhone}或发邮件至{supportEmail}，我们将与您商量解决办法。',
  },
  closing: {
    sms: '您的贷款{loanRef}已全部结清，感谢您的信任！回T退订',
    emailSubject: '贷款{loanRef}已结清',
    emailBody:
      '尊敬的客户：\n\n您的贷款{loanRef}已全部结清。感谢您一直以来的信任与支持！\n\n如有任何问题，请致电{supportPhone}或发邮件至{supportEmail}。',
  },
};
