/**
 * A person's action on an alert (acknowledge with a note, or resolve), through the API only: the nightly run raises,
 * refreshes and auto-resolves; people acknowledge and resolve. Versioned writes: a conflict is a 409 to reload.
 */
import { AlertConflictError, type AlertRecord, type AlertStore } from '../ports.ts';

/** A person's action on an alert: acknowledge (with a note) or resolve. Conflicts surface as AlertConflictError (a UserError, 409). */
export async function actOnAlert(store: AlertStore, id: string, action: 'acknowledge' | 'resolve', by: string, note: string | undefined, expectedVersion: number, now: string): Promise<AlertRecord | { error: 'not_found' | 'bad_state' }> {
  const a = await store.get(id);
  if (!a) return { error: 'not_found' };
  if (a.version !== expectedVersion) throw new AlertConflictError(`预警 ${id} 已被他人修改（当前版本 ${a.version}），请刷新后重试`, `Alert ${id} was changed by someone else (now version ${a.version}): reload and try again`);
  const state = action === 'acknowledge' ? 'acknowledged' : 'resolved';
  if (a.state === 'resolved' || (action === 'acknowledge' && a.state === 'acknowledged')) return { error: 'bad_state' };
  const next: AlertRecord = { ...a, state, version: a.version + 1, updatedAt: now, history: [...a.history, { at: now, state, by, ...(note ? { note } : {}) }] };
  await store.put(next, expectedVersion);
  return next;
}
