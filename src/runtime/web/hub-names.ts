/** Names that reach cache paths or URLs from a caller or a server — revisions, commits, ETags — checked first. */
import { StaticEmbedError, describe } from '../../errors.js';

const COMMIT = /^[0-9a-f]{40}$/;
const ETAG = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

/** True for a full commit hash (40 lowercase hex digits). */
export const isCommit = (s: string): boolean => COMMIT.test(s);

/**
 * A revision (branch, tag, `refs/pr/N` or commit) as a caller gives it: a ref name with "/"-separated parts —
 * no empty, "." or ".." part, no absolute path, no backslash, no control character.
 */
export function checkRevision(revision: unknown): string {
  const bad = (why: string): StaticEmbedError =>
    new StaticEmbedError(
      'INVALID_ARGUMENT',
      `revision must be a branch, tag or commit of the repository, got ${describe(revision)}: ${why}.`,
    );
  if (typeof revision !== 'string' || revision === '') throw bad('not a non-empty string');
  if (revision.length > 255) throw bad('longer than 255 characters');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(revision)) throw bad('it holds a control character');
  if (revision.includes('\\')) throw bad('it holds a backslash');
  if (revision.startsWith('/') || /^[A-Za-z]:/.test(revision)) throw bad('it is an absolute path');
  if (revision.split('/').some((p) => p === '' || p === '.' || p === '..'))
    throw bad('a part between slashes is empty, "." or ".."');
  return revision;
}

/** A Hub id ("owner/name"), or INVALID_ARGUMENT. */
export function checkHubId(id: unknown): string {
  if (typeof id !== 'string' || !HUB_ID.test(id) || id.split('/').some((p) => /^\.+$/.test(p)))
    throw new StaticEmbedError('INVALID_ARGUMENT', `A Hub id is "owner/name", got ${describe(id)}.`);
  return id;
}

function serverError(endpoint: string, what: string): StaticEmbedError {
  return new StaticEmbedError(
    'NETWORK_ERROR',
    `${endpoint} answered ${what}; a Hugging Face Hub never does, so nothing was written. Check HF_ENDPOINT (or the ` +
      'endpoint option): is it a Hub or a faithful mirror?',
  );
}

/** The commit a server names (X-Repo-Commit, the API's sha), or a NETWORK_ERROR when it is not 40 hex digits. */
export function serverCommit(value: string, endpoint: string, what: string): string {
  if (!COMMIT.test(value)) throw serverError(endpoint, `${describe(value)} as the commit of ${what}`);
  return value;
}

/**
 * The blob name an ETag gives (quotes and a weak "W/" prefix removed): a git sha1 or a sha256 in hex, else a
 * NETWORK_ERROR.
 */
export function serverEtag(header: string, endpoint: string, what: string): string {
  const e = header
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');
  if (!ETAG.test(e)) throw serverError(endpoint, `the ETag ${describe(header)} for ${what}`);
  return e;
}
