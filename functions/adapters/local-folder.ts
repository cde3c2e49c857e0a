/** ObjectStore over a local folder with the same key layout as the S3 buckets. */
import { constants, type Dirent } from 'node:fs';
import { copyFile, lstat, mkdir, open, readdir, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SPECIAL_ENTRY as SPECIAL, UnreadableObjectError, type ObjectInfo, type ObjectStore } from '../ports.ts';

/** The store's own temporaries (`put` writes `<key>.tmp-<12 hex>` and renames it): never listed. A hospital's `x.tmp-1.csv` is. */
const OWN_TEMPORARY = /\.tmp-[0-9a-f]{12}$/;

const specialOf = (e: Dirent): ObjectInfo['special'] =>
  e.isSymbolicLink() ? 'symlink' : e.isFIFO() ? 'fifo' : e.isSocket() ? 'socket' : e.isBlockDevice() || e.isCharacterDevice() ? 'device' : undefined;


export class LocalFolderStore implements ObjectStore {
  constructor(readonly root: string) {}

  private path(key: string): string {
    // Only whole `..` or `.` segments leave or blur the root: `extra-v1..v2.csv` is a legitimate name.
    if (key.startsWith('/') || key.includes('\\') || key.includes('\0') || key.split('/').some((seg) => seg === '..' || seg === '.')) {
      throw new Error(`非法对象键 invalid object key "${key}"`);
    }
    return join(this.root, key);
  }

  /** Reads a regular file under the root only: no link is followed (at the file or in a folder above it) and no pipe is opened for reading. */
  async get(key: string): Promise<Uint8Array | undefined> {
    const path = this.path(key);
    let handle;
    try {
      // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer for ever.
      handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      if (code === 'ELOOP') throw new UnreadableObjectError(key, SPECIAL.symlink);
      throw e;
    }
    try {
      const s = await handle.stat();
      if (s.isDirectory()) throw new UnreadableObjectError(key, { zh: '是文件夹，不是文件', en: 'is a folder, not a file' });
      if (!s.isFile()) throw new UnreadableObjectError(key, SPECIAL[s.isFIFO() ? 'fifo' : s.isSocket() ? 'socket' : 'device']);
      const root = await realpath(this.root);
      if (!(await realpath(path)).startsWith(root + sep)) throw new UnreadableObjectError(key, { zh: '所在文件夹是链接，指向存储根目录之外', en: 'lies behind a linked folder that leads outside the store' });
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  /** Write to a temporary sibling, then rename: a reader never sees a partial object. */
  async put(key: string, body: Uint8Array | string): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.tmp-${randomBytes(6).toString('hex')}`;
    try {
      await writeFile(tmp, body);
      await rename(tmp, target);
    } catch (e) {
      await rm(tmp, { force: true }); // a full disk leaves no 0-byte temporary behind
      throw e;
    }
  }

  async putFile(key: string, localPath: string): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.tmp-${randomBytes(6).toString('hex')}`;
    try {
      await rename(localPath, tmp);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
      try {
        await copyFile(localPath, tmp);
      } catch (copyError) {
        await rm(tmp, { force: true });
        throw copyError;
      }
      await rm(localPath, { force: true });
    }
    await rename(tmp, target);
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    const start = this.path(prefix.endsWith('/') ? prefix : dirname(prefix));
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw e;
      }
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) {
          await walk(full);
          continue;
        }
        if (OWN_TEMPORARY.test(entry.name)) continue;
        const key = relative(this.root, full).split(sep).join('/');
        if (!key.startsWith(prefix)) continue;
        const s = await lstat(full);
        const special = specialOf(entry);
        out.push({ key, size: special ? 0 : s.size, modifiedAt: s.mtime.toISOString(), ...(special ? { special } : {}) });
      }
    };
    await walk(start);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  locate(prefix: string): string {
    return this.path(prefix);
  }
}
