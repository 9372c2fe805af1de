/** Helpers of the server tests: a process's resident memory from /proc. */
import { readFileSync } from 'node:fs';

/** VmRSS of process `pid` in bytes (Linux /proc). */
export function residentBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}
