/** Screen text of the admin screens, zh-CN first (merged into lib/i18n.ts's one dictionary). */
export const ADMIN_TEXT = {
  'admin.auditLog': { zh: '审计日志', en: 'Audit log' },
  'admin.everyLookAtCaseLevel': { zh: '每一次病例明细查看、原始拒收记录查看与导出都会留下一条记录（保留六年）。', en: 'Every look at case-level rows or rejected records as delivered, and every export, leaves a record (kept six years).' },
  'admin.when': { zh: '时间', en: 'When' },
  'admin.who': { zh: '人员', en: 'Who' },
  'admin.role': { zh: '角色', en: 'Role' },
  'admin.action': { zh: '操作', en: 'Action' },
  'admin.scope': { zh: '范围', en: 'Scope' },
  'admin.query': { zh: '查询', en: 'Query' },
  'admin.rows': { zh: '行数', en: 'Rows' },
  'admin.noRecordsInThisPeriod': { zh: '这段时间没有记录', en: 'No records in this period' },
  'admin.signOut': { zh: '退出登录', en: 'Sign out' },
  'admin.opsdeckSignIn': { zh: '运营决策舱 · 登录', en: 'OpsDeck · Sign in' },
  'admin.thisDeploymentSignsInThrough': { zh: '此部署通过医院统一身份认证登录，请联系信息科开通账号。', en: 'This deployment signs in through the hospital\'s identity provider: ask the information office for an account.' },
  'admin.demoHospitalSignInAs': { zh: '演示医院：选择一位演示用户登录（仅本机演示，令牌 12 小时有效）。每个角色只能看到其授权范围内的内容。', en: 'Demo hospital: sign in as one of the demo users (local demo only; the token lasts 12 hours). Each role sees only what it is allowed to.' },
  'admin.wallDisplaysDoNotSign': { zh: '大屏设备不在此登录：管理员用 opsdeck token --role display --display 大屏编号 生成设备令牌，打开 /kiosk/大屏编号#token=令牌。', en: 'Wall displays do not sign in here: an administrator makes a device token with opsdeck token --role display --display ID and opens /kiosk/ID#token=TOKEN.' },
} as const;
