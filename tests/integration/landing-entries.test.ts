/**
 * Hostile landing folders on the local runtime: links, pipes, folders and odd names never abort or hang a night, and
 * nothing outside the landing folder is ever read (its content must not reach the lake or the quarantine).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFolderStore } from '../../functions/adapters/local-folder.ts';
import { ingestNights } from '../../functions/pipeline/ingest.ts';
import { pendingNights, scanLanding } from '../../functions/pipeline/landing.ts';
import { rejectsKey } from '../../functions/lake/layout.ts';
import { UnreadableObjectError } from '../../functions/ports.ts';
import { referenceLake, withIngestDeps } from '../support/corpus.ts';

const CH = 'census_date,ward_id,campus_id,department_id,open_beds,occupied_beds,admissions,discharges';
const NIGHT = '2026-03-10';
const SECRET = 'root:x:0:0:secret-line';

let reference: string;
let outside: string;
beforeAll(async () => {
  reference = await referenceLake();
  outside = mkdtempSync(join(tmpdir(), 'opsdeck-outside-'));
  writeFileSync(join(outside, 'passwd.csv'), `${SECRET}\n`);
  writeFileSync(join(outside, 'census.csv'), `${CH}\n${NIGHT},D201W1,C02,D201,20,19,2,1\n`);
});
afterAll(() => {
  rmSync(reference, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('landing entries that are not regular files', () => {
  it('are reported with a reason, never followed or opened, and the night lands', async () => {
    const dir = `${reference}-entries`;
    cpSync(reference, dir, { recursive: true, preserveTimestamps: true });
    try {
      const night = join(dir, 'landing', 'bed_census', `dt=${NIGHT}`);
      mkdirSync(night, { recursive: true });
      writeFileSync(join(night, 'extra-v1..v2.csv'), `${CH}\n${NIGHT},D101W1,C01,D101,30,25,4,3\n`);
      writeFileSync(join(night, 'export.tmp-1.csv'), `${CH}\n${NIGHT},D101W1,C01,D101,30,26,4,3\n`);
      symlinkSync(join(outside, 'missing.csv'), join(night, 'dangling.csv'));
      symlinkSync(outside, join(night, 'folder.csv'));
      symlinkSync(join(outside, 'census.csv'), join(night, 'linked.csv'));
      symlinkSync(join(outside, 'passwd.csv'), join(night, 'system.csv'));
      execFileSync('mkfifo', [join(night, 'pipe.csv')]);
      // A linked table folder, an impossible night and a file nested too deep.
      mkdirSync(join(dir, 'landing', 'outpatient_visits'), { recursive: true });
      symlinkSync(outside, join(dir, 'landing', 'outpatient_visits', `dt=${NIGHT}`));
      for (const key of ['landing/bed_census/dt=2026-02-30/census.csv', 'landing/bed_census/dt=2026-13-45/census.csv', `landing/bed_census/dt=${NIGHT}/sub/census.csv`]) {
        mkdirSync(join(dir, key, '..'), { recursive: true });
        writeFileSync(join(dir, key), `${CH}\n`);
      }
      const arrival = new Date(`${NIGHT}T23:30:00+08:00`);
      for (const f of ['extra-v1..v2.csv', 'export.tmp-1.csv']) utimesSync(join(night, f), arrival, arrival);

      await withIngestDeps(dir, async (deps, engine) => {
        const started = performance.now();
        const nights = await pendingNights(deps.store);
        expect(nights).toEqual([NIGHT]);
        const [report] = await ingestNights(deps, nights);
        expect(performance.now() - started).toBeLessThan(30_000); // the FIFO was not opened (it would block for ever)
        const census = report!.tables.find((t) => t.table === 'bed_census')!;
        expect(census.files.map((f) => f.key.split('/').at(-1))).toEqual(['export.tmp-1.csv', 'extra-v1..v2.csv']);
        const ignored = Object.fromEntries(report!.ignoredFiles.map((f) => [f.key.split('/').slice(-2).join('/'), f.en]));
        expect(Object.keys(ignored).sort()).toEqual([`bed_census/dangling.csv`, 'bed_census/folder.csv', 'bed_census/linked.csv', 'bed_census/pipe.csv', 'bed_census/system.csv'].map((k) => k.startsWith('bed_census/') ? `dt=${NIGHT}/${k.slice(11)}` : k).sort());
        expect(ignored[`dt=${NIGHT}/system.csv`]).toContain('symbolic link');
        expect(ignored[`dt=${NIGHT}/pipe.csv`]).toContain('named pipe');
        // The later file wins (arrival, then name: export.tmp-1.csv sorts before extra-v1..v2.csv); nothing of the linked files got in.
        const { rows } = await engine.query('SELECT ward_id, occupied_beds FROM {{bed_census}} WHERE dt = ? ORDER BY ward_id', { params: [NIGHT] });
        expect(rows).toEqual([{ ward_id: 'D101W1', occupied_beds: 25 }]);
        const quarantine = await deps.store.get(rejectsKey('bed_census', NIGHT));
        expect(quarantine === undefined || !new TextDecoder().decode(quarantine).includes('secret-line')).toBe(true);
        // The odd folders are named, and the night is not pending again.
        const problems = (await scanLanding(deps.store)).problems.map((p) => [p.key, p.en]);
        expect(problems).toEqual([
          ['landing/bed_census/dt=2026-02-30/census.csv', 'night folder dt=2026-02-30 is not a valid date: not ingested'],
          [`landing/bed_census/dt=${NIGHT}/sub/census.csv`, 'lies in a sub-folder of the night folder: not ingested (files go directly under dt=YYYY-MM-DD/)'],
          ['landing/bed_census/dt=2026-13-45/census.csv', 'night folder dt=2026-13-45 is not a valid date: not ingested'],
          [`landing/outpatient_visits/dt=${NIGHT}`, 'is a symbolic link: links are never followed (they could reach outside the landing folder): not ingested'],
        ]);
        expect(await pendingNights(deps.store)).toEqual([]);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the local store refuses to read a link, a pipe, a folder or a file behind a linked folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsdeck-store-'));
    try {
      mkdirSync(join(dir, 'landing'), { recursive: true });
      symlinkSync(join(outside, 'passwd.csv'), join(dir, 'landing', 'link.csv'));
      symlinkSync(outside, join(dir, 'landing', 'linked-folder'));
      execFileSync('mkfifo', [join(dir, 'landing', 'pipe.csv')]);
      mkdirSync(join(dir, 'landing', 'folder.csv'));
      const store = new LocalFolderStore(dir);
      for (const key of ['landing/link.csv', 'landing/linked-folder/passwd.csv', 'landing/pipe.csv', 'landing/folder.csv']) {
        await expect(store.get(key), key).rejects.toBeInstanceOf(UnreadableObjectError);
      }
      expect(await store.get('landing/none.csv')).toBeUndefined();
      await expect(store.get('landing/../../etc/passwd')).rejects.toThrow('invalid object key');
      await store.put('landing/extra-v1..v2.csv', 'ok');
      expect(new TextDecoder().decode(await store.get('landing/extra-v1..v2.csv'))).toBe('ok');
      expect((await store.list('landing/')).map((o) => [o.key, o.special ?? 'file'])).toEqual([
        ['landing/extra-v1..v2.csv', 'file'], ['landing/link.csv', 'symlink'], ['landing/linked-folder', 'symlink'], ['landing/pipe.csv', 'fifo'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
