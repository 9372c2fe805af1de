/** docs/cli.md documents every command and every option: its synopsis as --help prints it, each flag by name. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCommands } from '../../src/cli/main.js';

const COMMANDS = await loadCommands();
import { MODEL_HELP } from '../../src/cli/model-arg.js';
import { REPO_ROOT } from '../helpers/shared.js';

const page = readFileSync(join(REPO_ROOT, 'docs', 'cli.md'), 'utf8');

/** docs/cli.md's "## `static-embed NAME`" sections: name → text. */
function sections(): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of page.split(/^## /m).slice(1)) {
    const m = /^`static-embed ([\w-]+)`\n/.exec(part);
    if (m) out.set(m[1]!, part);
  }
  return out;
}

function help(name: string): string {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'static-embed.js'), name, '--help'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('docs/cli.md has a section for every command and none for a command that does not exist', () => {
  const documented = [...sections().keys()].sort();
  assert.deepEqual(documented, COMMANDS.map((c) => c.name).sort());
  for (const c of COMMANDS)
    assert.ok(page.includes(`[\`${c.name}\`](#static-embed-${c.name})`), `${c.name} in the table`);
});

test("each command's section shows its synopsis as --help does and names every option", () => {
  const docs = sections();
  for (const c of COMMANDS) {
    const text = docs.get(c.name)!;
    const out = help(c.name);
    for (const line of c.usage.split('\n'))
      assert.ok(text.includes(line.trim()), `docs/cli.md, ${c.name}: the synopsis "${line.trim()}"`);
    const flags = new Set([...Object.keys(c.options), ...[...out.matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1]!)]);
    const missing = [...flags].filter((f) => !new RegExp(`--${f}(?![a-z0-9-])`).test(text)).sort();
    assert.deepEqual(missing, [], `docs/cli.md, ${c.name}: options not documented`);
  }
});

test('--model is optional in every synopsis, and --help names its default, the embedded model', () => {
  for (const c of COMMANDS) {
    if (!c.options.model || c.name === 'train') continue;
    assert.doesNotMatch(c.usage, /(^|[^[])--model (M|ID_OR_PATH|PATH)\b/, `${c.name}: ${c.usage}`);
  }
  assert.match(MODEL_HELP[0]!, /^--model M .*default: static-embed-default, the embedded model/);
  assert.match(help('encode'), /default: static-embed-default, the embedded model/);
});
