/**
 * Per-entry type declarations: a TypeScript project without @types/node (lib ES2022 + DOM, `types: []`, full
 * library checking) compiles against the installed package's portable and browser declarations — the root entry
 * and every subpath — so browser users never meet Node types.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { installedPackage } from '../helpers/installed-package.js';

const CONSUMER = `
import { StaticModel, Tokenizer, StaticEmbedError, semanticSearch, VectorIndex, modelFiles, type EncodeOptions, type ModelInfo } from 'static-embed';
import { Tokenizer as SubTokenizer, IdBuffer, type TokenizerJson } from 'static-embed/tokenizer';
import { evaluateSts, spearman, type EvalItem } from 'static-embed/eval';
import { train, type TrainOptions } from 'static-embed/train';
import { EmbeddingHandler, type ServerOptions } from 'static-embed/server';

export async function demo(files: Record<string, Uint8Array>): Promise<number> {
  const model = StaticModel.fromBytes(files, { truncateDim: 8 });
  const options: EncodeOptions = { normalize: true };
  const emb = await model.encodeAsync(['a', 'b'], options);
  const info: ModelInfo = model.info();
  const hits = semanticSearch(emb, emb, { topK: 1 });
  const index = VectorIndex.build(emb);
  const tok: Tokenizer = model.tokenizer;
  const sub = new IdBuffer(16);
  SubTokenizer.fromJSON({} as TokenizerJson).encodeInto('x', sub);
  const sts = evaluateSts(emb, emb, [1, 0]);
  const item: EvalItem | undefined = undefined;
  const t: Partial<TrainOptions> = { batchSize: 8 };
  const handler = new EmbeddingHandler({ maxInputs: 4 } satisfies ServerOptions);
  const res: Response = await handler.fetch(new Request('http://x/health'));
  void [info, hits, index, tok, sts, item, t, train, res, modelFiles, spearman, tok.encode('x')];
  try {
    await StaticModel.fromPretrained('a/b');
  } catch (e) {
    if (e instanceof StaticEmbedError) return e.code.length;
  }
  return emb.rows;
}
`;

function compile(customConditions: string[]): string[] {
  const dir = installedPackage('types');
  const file = join(dir, 'consumer.ts');
  writeFileSync(file, CONSUMER);
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    typeRoots: [],
    skipLibCheck: false,
    customConditions,
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) =>
        `${d.file ? `${d.file.fileName.replace(dir, '')}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
}

test(
  'a TypeScript user without @types/node compiles against the portable declarations (root + subpaths)',
  { timeout: 60_000 },
  () => {
    assert.deepEqual(compile([]), []);
  },
);

test('… and against the browser declarations (the "browser" condition)', { timeout: 60_000 }, () => {
  assert.deepEqual(compile(['browser']), []);
});
