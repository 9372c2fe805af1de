/**
 * Helpers of the server tests: the CLI server in a child process (with its open-files limit raised, for the
 * connection tests), its resident memory from /proc, raw HTTP over a socket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { repoFile } from './shared.js';

export interface RunningChild {
  child: ChildProcess;
  url: string;
  port: number;
  exited: Promise<number | null>;
}

/** Open files the server child asks for (`ulimit -n`, up to the hard limit): 1,100 connections need more than 1,024. */
export const CHILD_OPEN_FILES = 4096;

/**
 * `static-embed serve --port 0 ARGS` as a child (through `sh -c 'ulimit -n …; exec node …'`, so its pid is the
 * server's); resolves once /health answers 200.
 */
export async function startServer(args: string[], env: Record<string, string> = {}): Promise<RunningChild> {
  const child = spawn(
    '/bin/sh',
    [
      '-c',
      `ulimit -n ${CHILD_OPEN_FILES} 2>/dev/null; exec "$0" "$@"`,
      process.execPath,
      repoFile('bin/static-embed.js'),
      'serve',
      '--port',
      '0',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } },
  );
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.on('exit', () => reject(new Error('server exited')));
    lines.on('line', (l) => {
      const e = JSON.parse(l) as { msg: string; url: string };
      if (e.msg === 'ready' || e.msg === 'listening') resolve(e.url);
    });
  });
  for (
    let i = 0;
    i < 100 &&
    (await fetch(`${url}/health`).then(
      (r) => r.status,
      () => 0,
    )) !== 200;
    i++
  )
    await new Promise((r) => setTimeout(r, 50));
  return { child, url, port: Number(new URL(url).port), exited };
}

/** VmRSS of process `pid` in bytes (Linux /proc). */
export function residentBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}

/** The soft limit on open files of process `pid` (Linux /proc). */
export function openFilesLimit(pid: number | 'self'): number {
  const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return m?.[1] === 'unlimited' ? Infinity : Number(m?.[1] ?? 0);
}

/** Raw HTTP over a socket: what the server sends back, or 'closed'/'timeout'. */
export function raw(port: number, write: (sock: Socket) => void, waitMs = 4000): Promise<string> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    let got = '';
    const timer = setTimeout(() => {
      sock.destroy();
      resolve(got || 'timeout');
    }, waitMs);
    sock.on('data', (d) => {
      got += d.toString('latin1');
    });
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(got || 'closed');
    });
    sock.on('error', () => undefined);
    sock.on('connect', () => write(sock));
  });
}
