/**
 * The Hugging Face `tokenizer.json` format, typed as it is on disk (snake_case kept). Types only, no code.
 * Both schemas are accepted: the current one with `"type"` inside `model`, and the older one without it.
 */
export interface TokenizerJson {
  version?: string;
  truncation?: unknown;
  padding?: unknown;
  added_tokens?: AddedTokenJson[];
  normalizer?: NormalizerJson | null;
  pre_tokenizer?: PreTokenizerJson | null;
  model: ModelJson;
  post_processor?: PostProcessorJson | null;
  decoder?: unknown;
}

export interface AddedTokenJson {
  id: number;
  content: string;
  single_word?: boolean;
  lstrip?: boolean;
  rstrip?: boolean;
  normalized?: boolean;
  special?: boolean;
}

export type NormalizerJson =
  | {
      type: 'BertNormalizer';
      clean_text?: boolean;
      handle_chinese_chars?: boolean;
      strip_accents?: boolean | null;
      lowercase?: boolean;
    }
  | { type: 'NFC' | 'NFD' | 'NFKC' | 'NFKD' | 'Lowercase' | 'StripAccents' | 'Nmt' }
  | { type: 'Strip'; strip_left?: boolean; strip_right?: boolean }
  | { type: 'Replace'; pattern: PatternJson; content: string }
  | { type: 'Prepend'; prepend: string }
  | { type: 'Precompiled'; precompiled_charsmap: string | null }
  | { type: 'Sequence'; normalizers: NormalizerJson[] };

export type PatternJson = { String: string } | { Regex: string };

export type SplitBehaviorJson = 'Removed' | 'Isolated' | 'MergedWithPrevious' | 'MergedWithNext' | 'Contiguous';

export type PreTokenizerJson =
  | { type: 'BertPreTokenizer' | 'Whitespace' | 'WhitespaceSplit' }
  | { type: 'Punctuation'; behavior?: SplitBehaviorJson }
  | { type: 'Digits'; individual_digits?: boolean }
  | {
      type: 'Metaspace';
      replacement?: string;
      prepend_scheme?: 'always' | 'first' | 'never';
      add_prefix_space?: boolean;
      split?: boolean;
    }
  | { type: 'Split'; pattern: PatternJson; behavior: SplitBehaviorJson; invert?: boolean }
  | { type: 'ByteLevel'; add_prefix_space?: boolean; trim_offsets?: boolean; use_regex?: boolean }
  | { type: 'CharDelimiterSplit'; delimiter: string }
  | { type: 'Sequence'; pretokenizers: PreTokenizerJson[] };

export interface WordPieceJson {
  type?: 'WordPiece';
  unk_token: string;
  continuing_subword_prefix?: string;
  max_input_chars_per_word?: number;
  vocab: Record<string, number>;
}

export interface UnigramJson {
  type?: 'Unigram';
  unk_id: number | null;
  vocab: Array<[string, number]>;
  byte_fallback?: boolean;
}

export interface BpeJson {
  type?: 'BPE';
  dropout?: number | null;
  unk_token?: string | null;
  continuing_subword_prefix?: string | null;
  end_of_word_suffix?: string | null;
  fuse_unk?: boolean;
  byte_fallback?: boolean;
  ignore_merges?: boolean;
  vocab: Record<string, number>;
  merges: Array<string | [string, string]>;
}

export interface WordLevelJson {
  type?: 'WordLevel';
  unk_token: string;
  vocab: Record<string, number>;
}

export type ModelJson = WordPieceJson | UnigramJson | BpeJson | WordLevelJson;

export interface TemplatePieceJson {
  SpecialToken?: { id: string; type_id: number };
  Sequence?: { id: 'A' | 'B'; type_id: number };
}

export type PostProcessorJson =
  | { type: 'BertProcessing'; sep: [string, number]; cls: [string, number] }
  | {
      type: 'RobertaProcessing';
      sep: [string, number];
      cls: [string, number];
      trim_offsets?: boolean;
      add_prefix_space?: boolean;
    }
  | {
      type: 'TemplateProcessing';
      single: TemplatePieceJson[];
      pair: TemplatePieceJson[];
      special_tokens: Record<string, { id: string; ids: number[]; tokens: string[] }>;
    }
  | { type: 'ByteLevel'; add_prefix_space?: boolean; trim_offsets?: boolean; use_regex?: boolean }
  | { type: 'Sequence'; processors: PostProcessorJson[] };
