/**
 * One machine, several `opsdeck` processes: the dashboard serving all day, and the nightly `ingest` and `aggregate`
 * started by cron or a systemd timer. The embedded DynamoDB (dynalite over LevelDB) can be opened by one process only,
 * so exactly one process owns it and serves the DynamoDB API on loopback; the others use that endpoint, as the Lambdas
 * use DynamoDB on AWS. The owner is the first to claim `<data>/dynamodb.owner.json`; a serving process never stays a
 * guest of a short-lived pipeline run (it waits for that run to finish, then owns). Pipeline runs take turns through
 * `<data>/pipeline.lock`, so that two ingests never write the same nights at once. A claim or lock left by a process
 * that died (kill -9, power loss) is taken over.
 */
import { openSync, readFileSync, renameSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export interface OwnerRecord {
  pid: number;
  /** Set once the owner's DynamoDB endpoint listens. */
  endpoint: string | null;
  /** The owner serves the dashboard (it stays up); otherwise it is a pipeline run that will exit. */
  serving: boolean;
  since: string;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

function readRecord<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Creates `path` only if it does not exist (the claim is atomic across processes). */
function createExclusive(path: string, body: string): boolean {
  try {
    const fd = openSync(path, 'wx');
    writeFileSync(fd, body);
    closeSync(fd);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

function writeAtomically(path: string, body: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, body);
  renameSync(tmp, path);
}

export type StoreAccess =
  | { role: 'owner'; publish: (endpoint: string) => void; release: () => void }
  | { role: 'guest'; endpoint: string; owner: OwnerRecord };

/**
 * Claims the DynamoDB store of `dataDir`, or finds the process that owns it. `say` reports a wait (once per reason).
 * A serving process waits for a pipeline owner to finish; a pipeline run uses whichever owner there is.
 */
export async function claimStore(dataDir: string, serving: boolean, say: (line: string) => void = () => {}): Promise<StoreAccess> {
  const path = join(dataDir, 'dynamodb.owner.json');
  let said = '';
  const tell = (line: string): void => {
    if (line !== said) say((said = line));
  };
  for (;;) {
    const mine: OwnerRecord = { pid: process.pid, endpoint: null, serving, since: new Date().toISOString() };
    if (createExclusive(path, JSON.stringify(mine))) {
      return {
        role: 'owner',
        publish: (endpoint) => writeAtomically(path, JSON.stringify({ ...mine, endpoint })),
        release: () => {
          if (readRecord<OwnerRecord>(path)?.pid === process.pid) rmSync(path, { force: true });
        },
      };
    }
    const owner = readRecord<OwnerRecord>(path);
    if (!owner || !alive(owner.pid)) {
      // A claim without a living process (or half-written by one that died): take it over.
      if (!owner || readRecord<OwnerRecord>(path)?.pid === owner.pid) rmSync(path, { force: true });
      continue;
    }
    // A second runtime in the owning process (tests) uses the endpoint whatever it serves: waiting on itself would never end.
    if (owner.pid === process.pid && owner.endpoint) return { role: 'guest', endpoint: owner.endpoint, owner };
    if (owner.endpoint && (owner.serving || !serving)) return { role: 'guest', endpoint: owner.endpoint, owner };
    tell(owner.endpoint
      ? `等待夜间任务（进程 ${owner.pid}）结束后启动服务 / waiting for the nightly run (process ${owner.pid}) to finish before serving…`
      : `等待进程 ${owner.pid} 打开本地 DynamoDB / waiting for process ${owner.pid} to open the local DynamoDB…`);
    await sleep(owner.endpoint ? 1000 : 100);
  }
}

/**
 * Runs `fn` while holding the data folder's pipeline lock: one ingest or aggregate at a time; a second waits, saying
 * which process it waits for.
 */
export async function withPipelineLock<T>(dataDir: string, what: string, fn: () => Promise<T>, say: (line: string) => void = () => {}): Promise<T> {
  const path = join(dataDir, 'pipeline.lock');
  let told = false;
  for (;;) {
    if (createExclusive(path, JSON.stringify({ pid: process.pid, what, since: new Date().toISOString() }))) break;
    const holder = readRecord<{ pid: number; what: string; since: string }>(path);
    if (!holder || !alive(holder.pid)) {
      if (!holder || readRecord<{ pid: number }>(path)?.pid === holder.pid) rmSync(path, { force: true });
      continue;
    }
    if (!told) {
      say(`等待进程 ${holder.pid} 的 ${holder.what}（始于 ${holder.since}）结束 / waiting for process ${holder.pid}'s ${holder.what} (since ${holder.since}) to finish…`);
      told = true;
    }
    await sleep(500);
  }
  try {
    return await fn();
  } finally {
    if (readRecord<{ pid: number }>(path)?.pid === process.pid) rmSync(path, { force: true });
  }
}
