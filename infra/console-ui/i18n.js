// Every string of the console in zh-CN and en, and the call script for each task purpose.
const zh = {
  'app.title': '贷后回访',
  'nav.queue': '工作队列', 'nav.referrals': '法务移交',
  'login.title': '登录', 'login.username': '用户名', 'login.group': '角色组', 'login.submit': '登录', 'login.cognito': '使用企业账号登录',
  'login.dev': '本地开发登录：任意用户名，选择角色组。', 'logout': '退出',
  'group.agent': '坐席', 'group.risk': '风控', 'group.legal': '法务', 'group.admin': '管理员',
  'clock.pause': '暂停', 'clock.resume': '继续', 'clock.day': '+1天', 'clock.week': '+7天', 'clock.speed': '速度', 'clock.perDay': '{s}秒/天', 'clock.paused': '已暂停', 'clock.virtual': '模拟时间',
  'queue.title': '工作队列', 'queue.queue': '队列', 'queue.purpose': '目的', 'queue.all': '全部', 'queue.empty': '没有待办任务', 'queue.count': '{n} 项任务',
  'queue.callback': '回访', 'queue.field': '实地走访', 'queue.review': '审查',
  'col.priority': '预警', 'col.loan': '贷款', 'col.purpose': '目的', 'col.dpd': '逾期天数', 'col.due': '截止', 'col.local': '借款人当地时间', 'col.contact': '现在可联系', 'col.attempts': '尝试', 'col.action': '',
  'action.record': '记录结果', 'action.open': '查看',
  'contact.yes': '可以', 'contact.no': '不可', 'contact.staff': '内部审查', 'contact.retry': '可于 {at} 联系',
  'due.overdue': '已逾期 {d}', 'due.in': '{d} 后',
  'loan.title': '贷款 {id}', 'loan.status': '状态', 'loan.warning': '预警等级', 'loan.class': '五级分类', 'loan.dpd': '逾期天数', 'loan.outstanding': '未还本金', 'loan.local': '借款人当地时间',
  'loan.contact': '联系方式', 'loan.contactNow': '现在可联系', 'loan.next': '下一步计划', 'loan.nextDue': '（已到期，贷款下一步执行时处理）', 'loan.none': '无',
  'loan.schedule': '还款计划', 'loan.payments': '还款记录', 'loan.tasks': '回访任务', 'loan.timeline': '时间线', 'loan.chart': '贷款时间线',
  'loan.referral': '已移交法务：{case}', 'loan.flagged': '流程异常：{reason}', 'loan.product': '产品', 'loan.principal': '本金', 'loan.term': '期限', 'loan.disbursed': '放款', 'loan.by': '录入人',
  'sched.seq': '期数', 'sched.due': '到期日', 'sched.amount': '应还', 'sched.paid': '已还', 'sched.status': '状态',
  'sched.PAID': '已还', 'sched.PAID_LATE': '逾期已还', 'sched.DUE': '未到期', 'sched.OVERDUE': '逾期', 'sched.PARTIAL': '部分还款',
  'task.status': '状态', 'task.outcome': '结果', 'task.by': '处理人', 'task.created': '创建', 'task.OPEN': '待办', 'task.DONE': '完成', 'task.CANCELLED': '取消',
  'pay.at': '时间', 'pay.amount': '金额', 'pay.by': '录入人', 'pay.payoff': '提前结清',
  'form.title': '记录回访结果', 'form.script': '话术', 'form.outcome': '通话结果', 'form.findings': '了解到的情况', 'form.promise': '承诺还款', 'form.promiseDate': '承诺日期', 'form.promiseAmount': '承诺金额',
  'form.notes': '备注', 'form.submit': '提交', 'form.cancel': '返回', 'form.saved': '已记录', 'form.taskClosed': '该任务已完成或已取消。', 'form.dial': '拨打',
  'ref.title': '法务移交案件', 'ref.case': '案件编号', 'ref.loan': '贷款', 'ref.at': '移交时间', 'ref.reason': '原因', 'ref.download': '下载案件包', 'ref.empty': '暂无移交案件',
  'err.forbidden': '您没有权限查看此页面。', 'err.notFound': '未找到。', 'err.generic': '出错了：{detail}', 'loading': '加载中…',
  'outcome.REACHED': '已接通', 'outcome.NO_ANSWER': '无人接听', 'outcome.WRONG_NUMBER': '号码错误', 'outcome.REFUSED': '拒绝沟通',
  'purpose.FIRST_CONTACT': '首次回访', 'purpose.DAY30_CHECK': '30天回访', 'purpose.DAY60_CHECK': '60天回访', 'purpose.PERIODIC': '定期回访', 'purpose.COLLECTION': '催收回访',
  'purpose.FIELD_VISIT': '实地走访', 'purpose.COLLATERAL_REVIEW': '抵押物审查', 'purpose.RESTRUCTURE_REVIEW': '重组审查',
  'purpose.WELCOME': '欢迎', 'purpose.REMINDER': '还款提醒', 'purpose.OVERDUE_NOTICE': '逾期通知', 'purpose.CLOSING': '结清',
  'finding.funds_received': '已收到贷款', 'finding.vehicle_delivered': '车辆已交付', 'finding.contact_details_confirmed': '联系方式已确认', 'finding.repayment_normal': '还款正常',
  'finding.vehicle_in_use': '车辆正常使用', 'finding.income_decline': '收入下降', 'finding.hardship': '经营/生活困难', 'finding.health': '健康问题', 'finding.management_change': '经营变动',
  'finding.vehicle_damaged': '车辆受损', 'finding.lost_ability': '丧失还款能力', 'finding.evasion': '逃避还款', 'finding.promise_to_pay': '承诺还款',
  'warning.NONE': '无', 'warning.PRIMARY': '初级', 'warning.INTERMEDIATE': '中级', 'warning.ADVANCED': '高级',
  'class.NORMAL': '正常', 'class.SPECIAL_MENTION': '关注', 'class.SUBSTANDARD': '次级', 'class.DOUBTFUL': '可疑', 'class.LOSS': '损失',
  'status.ACTIVE': '正常跟进', 'status.LEGAL': '法务处理', 'status.CLOSED': '已结清',
  'product.car': '车贷', 'product.enterprise': '企业贷', 'product.consumer': '消费贷',
  'lane.instalments': '还款计划', 'lane.payments': '还款', 'lane.messages': '短信/邮件', 'lane.callbacks': '回访', 'lane.warnings': '预警', 'chart.now': '现在',
  'next.MESSAGE': '发送{channel}：{purpose}', 'next.TASK': '新建任务：{purpose}', 'next.TASK_REQUEUED': '任务超时重排：{purpose}', 'next.TASK_CANCELLED': '取消任务：{purpose}',
  'next.TEAM': '通知{detail}团队', 'next.WARNING': '预警升至{detail}', 'next.CLASSIFICATION': '分类变为{detail}', 'next.LEGAL_REFERRAL': '移交法务', 'next.CLOSE': '结清关闭', 'next.SUPPRESSED': '暂缓联系（{detail}）',
  'ev.LOAN_ONBOARDED': '贷款录入', 'ev.MESSAGE_SENT': '已发送{channel}：{purpose}', 'ev.CALLBACK_CREATED': '新建回访：{purpose}', 'ev.CALLBACK_COMPLETED': '回访完成：{purpose}（{outcome}）',
  'ev.CALLBACK_ATTEMPTED': '回访尝试：{purpose}（{outcome}）', 'ev.CALLBACK_OVERDUE': '回访超时：{purpose}', 'ev.CALLBACK_CANCELLED': '回访取消：{purpose}', 'ev.PAYMENT_RECEIVED': '收到还款 {amount}',
  'ev.WARNING_RAISED': '预警升至 {level}', 'ev.CLASSIFICATION_CHANGED': '分类：{from} → {to}', 'ev.LEGAL_REFERRAL': '移交法务 {caseId}', 'ev.HARDSHIP_REPORTED': '报告困难', 'ev.CONTACT_CHANGED': '联系方式变更',
  'ev.OPTED_OUT': '退订 {channels}', 'ev.DO_NOT_CONTACT': '禁止联系（{reason}）', 'ev.LOAN_CLOSED': '贷款结清', 'ev.CONTACT_SUPPRESSED': '暂缓联系：{purpose}（{reason}）', 'ev.ANOMALY_REPORTED': '异常情况', 'ev.TEAM_NOTIFIED': '通知团队：{subject}',
  'ev.EXECUTION_FAILED': '流程失败', 'ev.EXECUTION_CONTINUED': '流程续接', 'ev.by': '（{by}）',
};

const en = {
  'app.title': 'Loan follow-up',
  'nav.queue': 'Work queue', 'nav.referrals': 'Legal referrals',
  'login.title': 'Sign in', 'login.username': 'User name', 'login.group': 'Group', 'login.submit': 'Sign in', 'login.cognito': 'Sign in with your company account',
  'login.dev': 'Local dev login: any user name, pick a group.', 'logout': 'Sign out',
  'group.agent': 'Agent', 'group.risk': 'Risk officer', 'group.legal': 'Legal', 'group.admin': 'Admin',
  'clock.pause': 'Pause', 'clock.resume': 'Resume', 'clock.day': '+1 day', 'clock.week': '+7 days', 'clock.speed': 'Speed', 'clock.perDay': '{s} s/day', 'clock.paused': 'paused', 'clock.virtual': 'Virtual time',
  'queue.title': 'Work queue', 'queue.queue': 'Queue', 'queue.purpose': 'Purpose', 'queue.all': 'All', 'queue.empty': 'Nothing to do', 'queue.count': '{n} tasks',
  'queue.callback': 'Callbacks', 'queue.field': 'Field visits', 'queue.review': 'Reviews',
  'col.priority': 'Warning', 'col.loan': 'Loan', 'col.purpose': 'Purpose', 'col.dpd': 'DPD', 'col.due': 'Due', 'col.local': 'Borrower’s time', 'col.contact': 'Call now', 'col.attempts': 'Tries', 'col.action': '',
  'action.record': 'Record outcome', 'action.open': 'Open',
  'contact.yes': 'Allowed', 'contact.no': 'Not now', 'contact.staff': 'Staff review', 'contact.retry': 'from {at}',
  'due.overdue': 'overdue {d}', 'due.in': 'in {d}',
  'loan.title': 'Loan {id}', 'loan.status': 'Status', 'loan.warning': 'Warning level', 'loan.class': 'Classification', 'loan.dpd': 'Days past due', 'loan.outstanding': 'Outstanding principal', 'loan.local': 'Borrower’s time',
  'loan.contact': 'Contact', 'loan.contactNow': 'Call now', 'loan.next': 'Next scheduled action', 'loan.nextDue': '(due: the loan acts on it at its next step)', 'loan.none': 'none',
  'loan.schedule': 'Schedule', 'loan.payments': 'Payments', 'loan.tasks': 'Callback tasks', 'loan.timeline': 'Timeline', 'loan.chart': 'Loan timeline',
  'loan.referral': 'Referred to legal: {case}', 'loan.flagged': 'Workflow failed: {reason}', 'loan.product': 'Product', 'loan.principal': 'Principal', 'loan.term': 'Term', 'loan.disbursed': 'Paid out', 'loan.by': 'Onboarded by',
  'sched.seq': '#', 'sched.due': 'Due', 'sched.amount': 'Amount', 'sched.paid': 'Paid', 'sched.status': 'Status',
  'sched.PAID': 'paid', 'sched.PAID_LATE': 'paid late', 'sched.DUE': 'due', 'sched.OVERDUE': 'overdue', 'sched.PARTIAL': 'part paid',
  'task.status': 'Status', 'task.outcome': 'Outcome', 'task.by': 'By', 'task.created': 'Created', 'task.OPEN': 'open', 'task.DONE': 'done', 'task.CANCELLED': 'cancelled',
  'pay.at': 'When', 'pay.amount': 'Amount', 'pay.by': 'Recorded by', 'pay.payoff': 'payoff',
  'form.title': 'Record a call', 'form.script': 'Script', 'form.outcome': 'Outcome', 'form.findings': 'What you learned', 'form.promise': 'Promise to pay', 'form.promiseDate': 'Promised date', 'form.promiseAmount': 'Promised amount',
  'form.notes': 'Notes', 'form.submit': 'Save', 'form.cancel': 'Back', 'form.saved': 'Recorded', 'form.taskClosed': 'This task is already done or cancelled.', 'form.dial': 'Call',
  'ref.title': 'Legal referrals', 'ref.case': 'Case', 'ref.loan': 'Loan', 'ref.at': 'Referred', 'ref.reason': 'Reason', 'ref.download': 'Download package', 'ref.empty': 'No referrals',
  'err.forbidden': 'You are not allowed to see this page.', 'err.notFound': 'Not found.', 'err.generic': 'Something went wrong: {detail}', 'loading': 'Loading…',
  'outcome.REACHED': 'Reached', 'outcome.NO_ANSWER': 'No answer', 'outcome.WRONG_NUMBER': 'Wrong number', 'outcome.REFUSED': 'Refused',
  'purpose.FIRST_CONTACT': 'First contact', 'purpose.DAY30_CHECK': 'Day-30 check', 'purpose.DAY60_CHECK': 'Day-60 check', 'purpose.PERIODIC': 'Periodic callback', 'purpose.COLLECTION': 'Collection call',
  'purpose.FIELD_VISIT': 'Field visit', 'purpose.COLLATERAL_REVIEW': 'Collateral review', 'purpose.RESTRUCTURE_REVIEW': 'Restructure review',
  'purpose.WELCOME': 'welcome', 'purpose.REMINDER': 'reminder', 'purpose.OVERDUE_NOTICE': 'overdue notice', 'purpose.CLOSING': 'closing',
  'finding.funds_received': 'Funds received', 'finding.vehicle_delivered': 'Vehicle delivered', 'finding.contact_details_confirmed': 'Contact details confirmed', 'finding.repayment_normal': 'Repaying normally',
  'finding.vehicle_in_use': 'Vehicle in use', 'finding.income_decline': 'Income decline', 'finding.hardship': 'Hardship', 'finding.health': 'Health problem', 'finding.management_change': 'Management change',
  'finding.vehicle_damaged': 'Vehicle damaged', 'finding.lost_ability': 'Lost ability to repay', 'finding.evasion': 'Evasion', 'finding.promise_to_pay': 'Promise to pay',
  'warning.NONE': 'none', 'warning.PRIMARY': 'primary', 'warning.INTERMEDIATE': 'intermediate', 'warning.ADVANCED': 'advanced',
  'class.NORMAL': 'Normal', 'class.SPECIAL_MENTION': 'Special mention', 'class.SUBSTANDARD': 'Substandard', 'class.DOUBTFUL': 'Doubtful', 'class.LOSS': 'Loss',
  'status.ACTIVE': 'active', 'status.LEGAL': 'with legal', 'status.CLOSED': 'closed',
  'product.car': 'Car', 'product.enterprise': 'Enterprise', 'product.consumer': 'Consumer',
  'lane.instalments': 'Instalments', 'lane.payments': 'Payments', 'lane.messages': 'Messages', 'lane.callbacks': 'Callbacks', 'lane.warnings': 'Warnings', 'chart.now': 'now',
  'next.MESSAGE': '{channel} {purpose}', 'next.TASK': 'new task: {purpose}', 'next.TASK_REQUEUED': 're-queued: {purpose}', 'next.TASK_CANCELLED': 'cancelled: {purpose}',
  'next.TEAM': 'notify the {detail} team', 'next.WARNING': 'warning up to {detail}', 'next.CLASSIFICATION': 'classified {detail}', 'next.LEGAL_REFERRAL': 'legal referral', 'next.CLOSE': 'close the loan', 'next.SUPPRESSED': 'contact held back ({detail})',
  'ev.LOAN_ONBOARDED': 'Loan onboarded', 'ev.MESSAGE_SENT': '{channel} sent: {purpose}', 'ev.CALLBACK_CREATED': 'Callback created: {purpose}', 'ev.CALLBACK_COMPLETED': 'Callback done: {purpose} ({outcome})',
  'ev.CALLBACK_ATTEMPTED': 'Callback tried: {purpose} ({outcome})', 'ev.CALLBACK_OVERDUE': 'Callback overdue: {purpose}', 'ev.CALLBACK_CANCELLED': 'Callback cancelled: {purpose}', 'ev.PAYMENT_RECEIVED': 'Payment {amount}',
  'ev.WARNING_RAISED': 'Warning up to {level}', 'ev.CLASSIFICATION_CHANGED': 'Classified {from} → {to}', 'ev.LEGAL_REFERRAL': 'Referred to legal {caseId}', 'ev.HARDSHIP_REPORTED': 'Hardship reported', 'ev.CONTACT_CHANGED': 'Contact details changed',
  'ev.OPTED_OUT': 'Opted out of {channels}', 'ev.DO_NOT_CONTACT': 'Do not contact ({reason})', 'ev.LOAN_CLOSED': 'Loan closed', 'ev.CONTACT_SUPPRESSED': 'Contact held back: {purpose} ({reason})', 'ev.ANOMALY_REPORTED': 'Anomaly reported', 'ev.TEAM_NOTIFIED': 'Team notified: {subject}',
  'ev.EXECUTION_FAILED': 'Workflow failed', 'ev.EXECUTION_CONTINUED': 'Workflow handed over', 'ev.by': ' ({by})',
};

/** What the agent says and checks, step by step, for each kind of task. */
const SCRIPTS = {
  'zh-CN': {
    FIRST_CONTACT: ['您好，我是××银行贷后服务专员，工号××。请问是借款人本人吗？（核实姓名，不要念出完整证件号）', '您的贷款已于放款日发放，请问资金是否已到账？', '（车贷）请问车辆是否已经交付使用？', '和您确认一下联系电话和邮箱是否正确，以便我们发送还款提醒。', '首期还款日和金额请以短信为准，如有疑问可拨打客服热线。感谢您的配合。'],
    DAY30_CHECK: ['您好，我是贷后服务专员，做一次30天例行回访。', '最近还款是否正常？有没有遇到困难？', '（车贷）车辆使用情况是否正常？', '收入或工作最近有无变化？如有变化请告诉我们。'],
    DAY60_CHECK: ['您好，这是60天例行回访。', '还款是否顺利？资金用途是否与申请一致？', '（车贷）车辆状况是否良好？', '如果之后遇到困难，请尽早联系我们商量方案。'],
    PERIODIC: ['您好，这是定期回访。', '近期还款和经营/工作情况如何？', '联系方式有无变化？', '如出现收入下降、健康或经营变动等情况，请及时告知。'],
    COLLECTION: ['您好，我是贷后服务专员。提醒您本期还款已逾期，应还金额以短信为准。', '请问是什么原因导致逾期？（如实记录，不评判）', '您计划哪天、还多少？（记录承诺日期和金额）', '注意：不得威胁、恐吓，不得向第三方透露欠款信息；仅在当地时间8:00–21:00联系。'],
    FIELD_VISIT: ['出示工作证，说明来访目的。', '核实经营场所/住址与申请资料一致。', '查看经营状况、存货或车辆状况并拍照存档。', '了解收入变化与还款安排，记录发现。'],
    RESTRUCTURE_REVIEW: ['阅读借款人报告的困难和回访记录。', '评估收入下降程度与还款能力。', '决定是否展期、调整还款计划或维持原计划，并在备注中写明理由。'],
    COLLATERAL_REVIEW: ['核对抵押物（车辆）登记与保险状况。', '评估当前价值与贷款余额。', '如需处置或追加担保，在备注中写明建议。'],
  },
  en: {
    FIRST_CONTACT: ['Hello, this is the bank’s loan care team, agent no. ___. Am I speaking with the borrower? (Check the name; never read out an ID number.)', 'Your loan was paid out on the disbursement date: have you received the funds?', '(Car loans) Has the vehicle been delivered?', 'Let me confirm your phone number and email, so our repayment reminders reach you.', 'Your first instalment and its due date are in our SMS; call our service line with any question. Thank you.'],
    DAY30_CHECK: ['Hello, this is your 30-day check-in call.', 'Are repayments going smoothly? Any difficulty?', '(Car loans) Is the vehicle in normal use?', 'Has anything changed in your income or work?'],
    DAY60_CHECK: ['Hello, this is your 60-day check-in call.', 'Are repayments going well, and the funds used as applied for?', '(Car loans) Is the vehicle in good condition?', 'If anything becomes difficult, call us early so we can find a way together.'],
    PERIODIC: ['Hello, this is a routine check-in.', 'How are repayments and your work or business going?', 'Have your contact details changed?', 'Tell us about any drop in income, health problem or change in the business.'],
    COLLECTION: ['Hello, this is the loan care team. Your instalment is overdue; the amount is in our SMS.', 'What caused the delay? (Record it as said, without judging.)', 'When, and how much, can you pay? (Record the promised date and amount.)', 'Remember: no threats or pressure, never tell a third party about the debt, and call only 08:00–21:00 local time.'],
    FIELD_VISIT: ['Show your staff card and say why you are visiting.', 'Check the business premises or home match the application.', 'Look at the business, stock or vehicle and take photos for the file.', 'Ask about income changes and repayment plans; record what you find.'],
    RESTRUCTURE_REVIEW: ['Read the hardship reported and the call notes.', 'Assess the drop in income and the ability to repay.', 'Decide: extend, reschedule or keep the plan, and give the reason in the notes.'],
    COLLATERAL_REVIEW: ['Check the collateral’s (vehicle’s) registration and insurance.', 'Assess its current value against the outstanding balance.', 'If it must be sold or more security is needed, say so in the notes.'],
  },
};

const STRINGS = { 'zh-CN': zh, en };
let locale = localStorage.getItem('locale') || (navigator.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en');

export const getLocale = () => locale;
export function setLocale(next) {
  locale = next;
  localStorage.setItem('locale', next);
  document.documentElement.lang = next;
}
export function t(key, params = {}) {
  const text = STRINGS[locale][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (params[name] ?? ''));
}
export const scriptFor = (purpose) => SCRIPTS[locale][purpose] ?? [];
