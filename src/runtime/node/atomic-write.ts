/** Atomic writes (Node): a file or folder is written under a temporary name beside its target, then renamed into
 * place, so the target is always the old version or the complete new one (see ARCHITECTURE.md, "Atomic writes"). */
import {
  accessSync,
  closeSync,
  constants,
  copyFileSync,
  fchmodSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { makeFolder } from './make-folder.js';

/** What marks our temporary names: `.NAME.static-embed-tmp-PID-RANDOM` (being written), `…-old-…` (being replaced). */
const MARK = '.static-embed-';
type Kind = 'tmp' | 'old';

/** Temporary paths not committed yet: removed when the write fails or the process exits normally. */
const pending = new Set<string>();
let exitHook = false;

function track(path: string): void {
  if (!exitHook) {
    exitHook = true;
    process.once('exit', discardPendingWrites);
  }
  pending.add(path);
}

/** Removes every temporary file or folder of a write that was not committed (the CLI calls it when a command fails). */
export function discardPendingWrites(): void {
  for (const p of pending) rmSync(p, { recursive: true, force: true });
  pending.clear();
}

/** Eight random hex digits (not secret: pid and exclusive creation keep names apart; node:crypto costs a cold start). */
const randomHex8 = () =>
  Math.floor(Math.random() * 0x100000000)
    .toString(16)
    .padStart(8, '0');

/** The temporary name of `target` (an absolute path) in the same folder, so the final rename stays on one file system. */
export function tempPathFor(target: string, kind: Kind = 'tmp'): string {
  const base = basename(target).slice(0, 180);
  return join(dirname(target), `.${base}${MARK}${kind}-${process.pid}-${randomHex8()}`);
}

/** Whether the process that made a temporary name still runs (then its files are left alone). */
function writerAlive(name: string): boolean {
  const pid = Number(/-(\d+)-[0-9a-f]{8}$/.exec(name)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The temporary entries of `target` in its folder, of one kind, left by processes that no longer run. */
function leftovers(target: string, kind: Kind): string[] {
  const prefix = `.${basename(target).slice(0, 180)}${MARK}${kind}-`;
  let names: string[];
  try {
    names = readdirSync(dirname(target));
  } catch {
    return [];
  }
  return names.filter((n) => n.startsWith(prefix) && !writerAlive(n)).map((n) => join(dirname(target), n));
}

/**
 * Puts back a folder whose swap was interrupted between its two renames (the old folder was moved aside, the new one
 * not yet in): true when `target` was missing and its previous version was restored.
 */
export function recoverInterruptedSwap(target: string): boolean {
  const full = resolve(target);
  if (exists(full)) return false;
  for (const old of leftovers(full, 'old')) {
    try {
      renameSync(old, full);
      return true;
    } catch {
      // another process restored it first, or it cannot be moved: try the next
    }
  }
  return false;
}

/** Removes what interrupted writes of `target` left behind (their processes are gone); a running writer's are kept. */
export function cleanStaleTemps(target: string): void {
  const full = resolve(target);
  const stale = leftovers(full, 'tmp');
  if (exists(full)) stale.push(...leftovers(full, 'old'));
  for (const p of stale) rmSync(p, { recursive: true, force: true });
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The file a path writes: a symbolic link is followed (the link keeps pointing at the new content). */
function writeTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** fsync of a folder, so a rename in it is on disk; some systems cannot open folders for it (ignored). */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // not supported here
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * A file written under a temporary name beside its target and renamed over it by `commit()`: until then the target
 * is untouched, and a crash leaves only the temporary file (removed by the next write of the same target).
 */
export class AtomicFile {
  private done = false;
  private constructor(
    /** the file that commit() replaces */
    readonly target: string,
    readonly temp: string,
    readonly fd: number,
  ) {}

  /**
   * `followLinks: false` (files of a cache, whose entries anyone with access to the folder may have planted): a
   * symbolic link at `path` is replaced by the file instead of written through, and the file gets the default
   * permissions, never those of what it replaces.
   */
  static create(path: string, options: { followLinks?: boolean } = {}): AtomicFile {
    const follow = options.followLinks ?? true;
    const target = follow ? writeTarget(path) : resolve(path);
    cleanStaleTemps(target);
    const temp = tempPathFor(target);
    const fd = openSync(temp, 'wx', 0o666);
    track(temp);
    try {
      // a replaced file keeps its permissions (not a cache's entry: they may have been planted there)
      if (follow) fchmodSync(fd, statSync(target).mode & 0o7777);
    } catch {
      // a new file: the default mode
    }
    return new AtomicFile(target, temp, fd);
  }

  /** Writes all of `bytes` at `position` (default: after what was written). */
  write(bytes: Uint8Array, position?: number): void {
    for (let done = 0; done < bytes.length;) {
      const at = position === undefined ? null : position + done;
      done += writeSync(this.fd, bytes, done, bytes.length - done, at);
    }
  }

  /** Flushes the file to disk and renames it over the target. */
  commit(): void {
    if (this.done) return;
    this.done = true;
    try {
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
    }
    renameSync(this.temp, this.target);
    pending.delete(this.temp);
    syncFolder(dirname(this.target));
  }

  /** Drops the temporary file; the target stays as it was. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.temp, { force: true });
    pending.delete(this.temp);
  }
}

/** Writes a whole file atomically (AtomicFile). */
export function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: { followLinks?: boolean } = {},
): void {
  const f = AtomicFile.create(path, options);
  try {
    f.write(typeof data === 'string' ? new TextEncoder().encode(data) : data);
    f.commit();
  } catch (e) {
    f.abort();
    throw e;
  }
}

export interface FolderWriteOptions {
  /**
   * Entries of an existing folder that the new one keeps, by name (hard-linked, or copied where links are not
   * supported); the others are replaced. Default: none (the folder is replaced whole).
   */
  keep?: (name: string) => boolean;
}

/**
 * A folder written whole beside its target, then swapped in by `commit()` (keeping the entries it does not own); file
 * by file where a folder cannot be swapped. See ARCHITECTURE.md, "Atomic writes".
 */
export class FolderWrite {
  private done = false;
  private constructor(
    readonly target: string,
    /** the folder to write the new files into */
    readonly folder: string,
    private readonly inPlace: boolean,
    private readonly keep: (name: string) => boolean,
  ) {}

  static begin(dir: string, options: FolderWriteOptions = {}): FolderWrite {
    const target = resolve(dir);
    recoverInterruptedSwap(target);
    cleanStaleTemps(target);
    const existed = isFolder(target);
    const inPlace = existed && !canSwap(target);
    if (!existed) makeFolder(dirname(target));
    const staging = join(target, 'staging');
    if (inPlace) cleanStaleTemps(staging);
    const folder = tempPathFor(inPlace ? staging : target);
    mkdirSync(folder);
    track(folder);
    return new FolderWrite(target, folder, inPlace, options.keep ?? (() => false));
  }

  /** Swaps the new folder in (see the class comment); the old one is removed once the new one is in place. */
  commit(): void {
    if (this.done) return;
    this.done = true;
    if (this.inPlace) {
      moveInto(this.folder, this.target, this.keep);
      pending.delete(this.folder);
      return;
    }
    if (isFolder(this.target)) carryOver(this.target, this.folder, this.keep);
    syncTree(this.folder);
    swapFolderIn(this.folder, this.target);
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    discardPath(this.folder);
  }
}

/**
 * Puts a complete folder in the place of `target` (a folder or nothing) by renames in the same parent: the old one is
 * moved aside, the new one in, then the old one removed. Killed between the renames, the old one is put back by the
 * next write or load (recoverInterruptedSwap).
 */
export function swapFolderIn(prepared: string, target: string): void {
  if (!isFolder(target)) renameSync(prepared, target);
  else {
    const old = tempPathFor(target, 'old');
    renameSync(target, old);
    renameSync(prepared, target);
    track(old);
    discardPath(old);
  }
  pending.delete(prepared);
  syncFolder(dirname(target));
}

/** A new empty temporary folder for `target` (removed on exit unless swapped in). */
export function tempFolderFor(target: string): string {
  const full = resolve(target);
  recoverInterruptedSwap(full);
  cleanStaleTemps(full);
  const folder = tempPathFor(full);
  mkdirSync(folder);
  track(folder);
  return folder;
}

/** Registers a temporary file or folder of this process (removed when the command fails or the process exits). */
export function trackTemp(path: string): void {
  track(path);
}

/** Removes a temporary folder (tempFolderFor, trackTemp) that is not needed any more. */
export function discardTemp(folder: string): void {
  discardPath(folder);
}

/** Writes a folder with `fill(folder)` into a FolderWrite and commits it (aborted if `fill` throws). */
export function writeFolderAtomic<T>(dir: string, fill: (folder: string) => T, options: FolderWriteOptions = {}): T {
  const w = FolderWrite.begin(dir, options);
  try {
    const result = fill(w.folder);
    w.commit();
    return result;
  } catch (e) {
    w.abort();
    throw e;
  }
}

function discardPath(p: string): void {
  try {
    rmSync(p, { recursive: true, force: true });
    pending.delete(p);
  } catch {
    // left for the next write of the same target (cleanStaleTemps)
  }
}

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** A folder can be swapped when its parent is writable, it is no mount point, and it does not hold our working directory. */
function canSwap(target: string): boolean {
  const parent = dirname(target);
  try {
    accessSync(parent, constants.W_OK);
    if (statSync(parent).dev !== statSync(target).dev) return false;
  } catch {
    return false;
  }
  const cwd = resolve(process.cwd());
  return cwd !== target && !cwd.startsWith(target + sep);
}

/** The entries of `from` that `keep` names and `to` lacks, linked (or copied) into `to`. */
function carryOver(from: string, to: string, keep: (name: string) => boolean): void {
  const taken = new Set(readdirSync(to));
  for (const name of readdirSync(from))
    if (keep(name) && !taken.has(name) && !name.includes(MARK)) linkTree(join(from, name), join(to, name));
}

/** A copy of a tree whose files are hard links (copies where links fail); symbolic links are recreated as they are. */
function linkTree(src: string, dest: string): void {
  const st = lstatSync(src);
  if (st.isSymbolicLink()) symlinkSync(readlinkSync(src), dest);
  else if (st.isDirectory()) {
    mkdirSync(dest);
    for (const name of readdirSync(src)) linkTree(join(src, name), join(dest, name));
  } else {
    try {
      linkSync(src, dest);
    } catch {
      if (st.isFile()) copyFileSync(src, dest);
    }
  }
}

/** fsync of every file and folder of a tree (the new folder is on disk before it takes the target's name). */
function syncTree(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) syncTree(p);
    else if (e.isFile()) {
      const fd = openSync(p, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  }
  syncFolder(dir);
}

/** In-place commit: each staged file renamed into `target`, then the entries neither new nor kept removed. */
function moveInto(staged: string, target: string, keep: (name: string) => boolean): void {
  const fresh = new Set(readdirSync(staged));
  const move = (from: string, to: string): void => {
    for (const e of readdirSync(from, { withFileTypes: true })) {
      const a = join(from, e.name),
        b = join(to, e.name);
      if (!e.isDirectory()) {
        if (isFolder(b)) rmSync(b, { recursive: true, force: true });
        renameSync(a, b);
      } else {
        if (!isFolder(b)) {
          rmSync(b, { force: true });
          mkdirSync(b);
        }
        move(a, b);
      }
    }
  };
  syncTree(staged);
  move(staged, target);
  rmSync(staged, { recursive: true, force: true });
  for (const name of readdirSync(target))
    if (!fresh.has(name) && !keep(name) && !name.includes(MARK))
      rmSync(join(target, name), { recursive: true, force: true });
  syncFolder(target);
}

/** `dev:ino` of the file a path names (links followed), or undefined when there is none. */
export function fileIdentity(path: string): string | undefined {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}
