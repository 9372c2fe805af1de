import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Portable code (everything in src/ except the Node runtime, the CLI and the Node entry point) runs in browsers
// too: no Node built-in modules (node:* or bare), no Node globals, and imports only point down the layers of
// ARCHITECTURE.md (never into runtime/, cli/ or the entry points).
const NODE_ONLY = ['src/runtime/node/**', 'src/cli/**', 'src/node.ts', 'src/entries/*-node.ts'];
const builtins = builtinModules.filter((m) => !m.startsWith('_') && !m.includes('/'));
// (\u002f is "/", written so that the same pattern also works inside an esquery selector)
const NODE_MODULE = `^(node:|(${builtins.join('|')})(\\u002f|$))`;
const nodeModules = {
  regex: NODE_MODULE,
  message: 'Portable code must not import Node modules: move this to src/runtime/node (see ARCHITECTURE.md).',
};
const upward = (regex, what) => ({
  regex,
  message: `Portable code must not import ${what} (imports point down the layers, see ARCHITECTURE.md).`,
});
const NODE_GLOBALS = ['Buffer', 'process', 'require', '__dirname', '__filename', 'global', 'setImmediate'].map(
  (name) => ({
    name,
    message: 'Node global in portable code: use a web-standard API, or move this to src/runtime/node.',
  }),
);

export default tseslint.config(
  { ignores: ['dist/', '**/node_modules/', 'bench/out/', 'tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      eqeqeq: ['error', 'always'],
      'prefer-const': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: [...NODE_ONLY, 'src/browser.ts', 'src/runtime/web/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeModules,
            upward('(^|/)(runtime|cli)/', 'runtime or CLI code'),
            upward('^(\\.\\./)+(node|browser)\\.js$', 'an entry point'),
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: `ImportExpression > Literal[value=/${NODE_MODULE}/]`, message: nodeModules.message },
      ],
      'no-restricted-globals': ['error', ...NODE_GLOBALS],
    },
  },
  {
    files: ['src/browser.ts', 'src/runtime/web/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [nodeModules, upward('(^|/)(runtime/node|cli)/', 'Node runtime or CLI code')] },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: `ImportExpression > Literal[value=/${NODE_MODULE}/]`, message: nodeModules.message },
      ],
      'no-restricted-globals': ['error', ...NODE_GLOBALS],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // functions of one screen; the few that read better whole say why with an eslint-disable-next-line comment
    // (listed in ARCHITECTURE.md, "Code shape"; counted by scripts/code-shape.mjs)
    files: ['src/**/*.ts'],
    ignores: ['src/kernels/*-wasm.ts', 'src/tokenizer/unicode-tables.ts', 'src/cli/io/wide-chars.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }] },
  },
  {
    // Prettier wraps code at 120; strings and comments it cannot wrap stay under 160 (split them with +)
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    ignores: ['src/kernels/*-wasm.ts', 'src/tokenizer/unicode-tables.ts', 'src/cli/io/wide-chars.ts'],
    rules: { 'max-len': ['error', { code: 160, tabWidth: 2 }] },
  },
);
