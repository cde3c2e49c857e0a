/**
 * The roles people and devices have in OpsDeck. On AWS each is a Cognito group of the same id; the API decides what a
 * role may see (DOMAIN.md / UX.md: leadership hospital-wide, directors their departments, analysts down to the case,
 * displays the walls only, admins the configuration).
 */
export const ROLES = [
  { id: 'leadership', zh: '院领导', en: 'Leadership' },
  { id: 'director', zh: '科室主任', en: 'Department director' },
  { id: 'analyst', zh: '运营分析', en: 'Operations analyst' },
  { id: 'display', zh: '大屏设备', en: 'Wall display device' },
  { id: 'admin', zh: '系统管理员', en: 'Administrator' },
] as const;

export type RoleId = (typeof ROLES)[number]['id'];
