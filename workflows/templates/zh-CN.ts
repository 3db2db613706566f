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
  promise_reminder: {
    sms: '贷款{loanRef}：请按约定于{dueDate}前还款{amount}。回T退订',
    emailSubject: '还款提醒：贷款{loanRef}约定于{dueDate}前还款{amount}',
    emailBody:
      '尊敬的客户：\n\n按照您在电话中的承诺，请于{dueDate}前为贷款{loanRef}还款{amount}。\n\n如已还款请忽略本提醒。如有疑问，请致电{supportPhone}或发邮件至{supportEmail}。',
  },
  demand_letter: {
    sms: '您的贷款{loanRef}已逾期{dpd}天，我们已向您发出催告函，请致电{supportPhone}。回T退订',
    emailSubject: '催告函：贷款{loanRef}已逾期{dpd}天',
    emailBody:
      '尊敬的客户：\n\n催告函\n\n您的贷款{loanRef}已逾期{dpd}天，现应还{amount}。我们已多次提醒，您仍未还款。现正式催告您立即偿还上述欠款。\n\n如仍不还款，我们可能将贷款移交法务部门处理，由此产生的诉讼费用由您承担，逾期记录将报送征信机构。\n\n还款或协商解决办法，请致电{supportPhone}或发邮件至{supportEmail}。',
  },
  recall_notice: {
    sms: '贷款{loanRef}已提前收回，余额{amount}须于{dueDate}前还清。回T退订',
    emailSubject: '提前收回通知：贷款{loanRef}全部余额{amount}须于{dueDate}前还清',
    emailBody:
      '尊敬的客户：\n\n提前收回贷款通知\n\n根据借款合同约定，我们决定提前收回贷款{loanRef}。全部未还余额{amount}须于{dueDate}前还清。\n\n还款或对本决定有疑问，请致电{supportPhone}或发邮件至{supportEmail}。',
  },
  restructured: {
    sms: '贷款{loanRef}已调整还款计划：{dueDate}起每月还款{amount}，详见邮件。回T退订',
    emailSubject: '贷款{loanRef}的新还款计划',
    emailBody:
      '尊敬的客户：\n\n按照约定，贷款{loanRef}的还款计划已调整。每期应还{amount}，首期于{dueDate}到期，末期于{lastDueDate}到期。\n\n请按新计划按时还款。如有疑问，请致电{supportPhone}或发邮件至{supportEmail}。',
  },
  closing: {
    sms: '您的贷款{loanRef}已全部结清，感谢您的信任！回T退订',
    emailSubject: '贷款{loanRef}已结清',
    emailBody: '尊敬的客户：\n\n您的贷款{loanRef}已全部结清。感谢您一直以来的信任与支持！\n\n如有任何问题，请致电{supportPhone}或发邮件至{supportEmail}。',
  },
};
