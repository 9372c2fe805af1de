import { spawn } from 'node:child_process';
import { repoFile } from './shared.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs bin/static-embed.js with arguments and optional stdin, environment and working directory. */
export function runCli(args: string[], stdin?: string, env?: Record<string, string>, cwd?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [repoFile('bin/static-embed.js'), ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
      ...(cwd !== undefined ? { cwd } : {}),
    });
    let stdout = '',
      stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}
