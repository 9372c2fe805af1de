/**
 * The known folder layouts of static models, tried in order over any file source.
 * See ARCHITECTURE.md, "Loading and downloads".
 */
import { StaticEmbedError, describe } from '../errors.js';
import type { Model2VecConfigJson, ModuleJson, SentenceTransformersConfigJson } from './config.js';

export type ProfileName = 'sentence-transformers' | 'model2vec';
export type SimilarityFnName = 'cosine' | 'dot' | 'euclidean' | 'manhattan';

export interface FileSource {
  has(path: string): boolean;
  /** parsed JSON of a small file (throws a typed error when it is not JSON) */
  readJson(path: string): unknown;
}

export interface ResolvedLayout {
  layout: string;
  tokenizer: string;
  weights: string;
  /** tensor names to try, in order */
  tensorNames: string[];
  profile: ProfileName;
  normalize: boolean;
  similarityFnName: SimilarityFnName;
  /** files of the folder that describe the model (for info and saving) */
  configFiles: string[];
}

interface Layout {
  name: string;
  description: string;
  /** files that must exist; a function when they depend on other files */
  requires(src: FileSource): string[];
  resolve(src: FileSource): ResolvedLayout;
}

const join = (dir: string, file: string): string =>
  dir === '' || dir === '.' ? file : `${dir.replace(/\/+$/, '')}/${file}`;

function stConfig(src: FileSource, path = 'config_sentence_transformers.json'): SentenceTransformersConfigJson {
  return src.has(path) ? ((src.readJson(path) ?? {}) as SentenceTransformersConfigJson) : {};
}

function similarityOf(cfg: SentenceTransformersConfigJson): SimilarityFnName {
  const s = cfg.similarity_fn_name;
  return s === 'dot' || s === 'euclidean' || s === 'manhattan' ? s : 'cosine';
}

function modulesOf(src: FileSource): ModuleJson[] {
  const m = src.readJson('modules.json');
  if (!Array.isArray(m))
    throw new StaticEmbedError(
      'INVALID_MODEL',
      'modules.json must be a JSON array of modules ({idx, name, path, type}).',
    );
  return m as ModuleJson[];
}

function staticModule(src: FileSource): ModuleJson | undefined {
  const m = modulesOf(src).find((x) => typeof x?.type === 'string' && x.type.endsWith('StaticEmbedding'));
  if (m && (typeof m.path !== 'string' || m.path.startsWith('/') || m.path.split(/[\\/]/).includes('..'))) {
    throw new StaticEmbedError(
      'INVALID_MODEL',
      `modules.json gives the StaticEmbedding module the path ${describe(m.path)}; expected a folder inside the model folder.`,
    );
  }
  return m;
}

const LAYOUTS: readonly Layout[] = [
  {
    name: 'model2vec',
    description: 'model2vec: config.json, model.safetensors ("embeddings"), tokenizer.json',
    requires: () => ['config.json', 'model.safetensors', 'tokenizer.json'],
    resolve(src) {
      const cfg = (src.readJson('config.json') ?? {}) as Model2VecConfigJson;
      return {
        layout: 'model2vec',
        tokenizer: 'tokenizer.json',
        weights: 'model.safetensors',
        tensorNames: ['embeddings', 'embedding.weight'],
        profile: 'model2vec',
        normalize: cfg.normalize === true,
        similarityFnName: similarityOf(stConfig(src)),
        configFiles: ['config.json'],
      };
    },
  },
  {
    name: 'sentence-transformers',
    description:
      'sentence-transformers: modules.json naming a StaticEmbedding module folder with model.safetensors ("embedding.weight") and tokenizer.json',
    requires(src) {
      if (!src.has('modules.json')) return ['modules.json'];
      const m = staticModule(src);
      if (!m) return ['modules.json entry of type *.StaticEmbedding'];
      return ['modules.json', join(m.path, 'model.safetensors'), join(m.path, 'tokenizer.json')];
    },
    resolve(src) {
      const m = staticModule(src)!;
      const normalize = modulesOf(src).some((x) => typeof x?.type === 'string' && x.type.endsWith('.Normalize'));
      return {
        layout: 'sentence-transformers',
        tokenizer: join(m.path, 'tokenizer.json'),
        weights: join(m.path, 'model.safetensors'),
        tensorNames: ['embedding.weight', 'embeddings'],
        profile: 'sentence-transformers',
        normalize,
        similarityFnName: similarityOf(stConfig(src)),
        configFiles: ['modules.json'],
      };
    },
  },
  {
    name: 'sentence-transformers-flat',
    description:
      'flat sentence-transformers export (as model2vec loads it): config_sentence_transformers.json, model.safetensors, tokenizer.json',
    requires: () => ['config_sentence_transformers.json', 'model.safetensors', 'tokenizer.json'],
    resolve(src) {
      const cfg = stConfig(src);
      return {
        layout: 'sentence-transformers-flat',
        tokenizer: 'tokenizer.json',
        weights: 'model.safetensors',
        tensorNames: ['embedding.weight', 'embeddings'],
        profile: 'model2vec',
        normalize: cfg.normalize === true,
        similarityFnName: similarityOf(cfg),
        configFiles: ['config_sentence_transformers.json'],
      };
    },
  },
  {
    name: '0_StaticEmbedding',
    description:
      'nested module without modules.json: 0_StaticEmbedding/model.safetensors and 0_StaticEmbedding/tokenizer.json',
    requires: () => ['0_StaticEmbedding/model.safetensors', '0_StaticEmbedding/tokenizer.json'],
    resolve(src) {
      const cfg = stConfig(src);
      return {
        layout: '0_StaticEmbedding',
        tokenizer: '0_StaticEmbedding/tokenizer.json',
        weights: '0_StaticEmbedding/model.safetensors',
        tensorNames: ['embedding.weight', 'embeddings'],
        profile: 'sentence-transformers',
        normalize: false,
        similarityFnName: similarityOf(cfg),
        configFiles: [],
      };
    },
  },
  {
    name: 'StaticEmbedding module',
    description: 'a StaticEmbedding module folder itself: model.safetensors and tokenizer.json',
    requires: () => ['model.safetensors', 'tokenizer.json'],
    resolve() {
      return {
        layout: 'StaticEmbedding module',
        tokenizer: 'tokenizer.json',
        weights: 'model.safetensors',
        tensorNames: ['embedding.weight', 'embeddings'],
        profile: 'sentence-transformers',
        normalize: false,
        similarityFnName: 'cosine',
        configFiles: [],
      };
    },
  },
];

export const LAYOUT_NAMES = LAYOUTS.map((l) => l.name);

/** Small files a source should offer for resolution (JSON configs). */
export const CONFIG_FILES = ['config.json', 'modules.json', 'config_sentence_transformers.json'];

export function resolveLayout(src: FileSource, where: string): ResolvedLayout {
  const tried: string[] = [];
  for (const layout of LAYOUTS) {
    const needed = layout.requires(src);
    const missing = needed.filter((f) => !src.has(f));
    if (missing.length === 0) return layout.resolve(src);
    tried.push(`  - ${layout.description}: missing ${missing.join(', ')}`);
  }
  throw new StaticEmbedError(
    'NO_LAYOUT',
    `No known model layout fits ${where}. Tried:\n${tried.join('\n')}\n` +
      'Point --model at a sentence-transformers or model2vec model folder (or its Hub id).',
  );
}
