/**
 * Data files with named columns: CSV (RFC 4180 quoting, as Python's csv module reads it), TSV (tab-separated,
 * no quoting) and JSONL (one object per line). Every record remembers its line so errors can name it.
 */
import { StaticEmbedError, describe } from '../errors.js';

export interface TableRecord {
  /** 1-based line where the record starts */
  line: number;
  values: Record<string, unknown>;
}

export interface Table {
  file: string;
  /** how the file was read (absent for tables built in memory) */
  format?: TableFormat;
  columns: string[];
  records: TableRecord[];
}

export type TableFormat = 'csv' | 'tsv' | 'jsonl';

export function formatOf(file: string): TableFormat {
  const f = file.toLowerCase();
  if (f.endsWith('.jsonl') || f.endsWith('.ndjson')) return 'jsonl';
  if (f.endsWith('.tsv') || f.endsWith('.tab')) return 'tsv';
  if (f.endsWith('.csv')) return 'csv';
  throw new StaticEmbedError(
    'INVALID_INPUT',
    `${file}: unknown data format; use a .csv, .tsv or .jsonl file with a header (or keys) naming the columns.`,
  );
}

function csvRows(text: string, file: string): Array<{ line: number; cells: string[] }> {
  const out: Array<{ line: number; cells: string[] }> = [];
  let i = 0,
    line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const cells: string[] = [];
    for (;;) {
      let cell = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new StaticEmbedError('INVALID_INPUT', `${file}:${start}: a quoted field is not closed.`);
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          cell += c;
          i++;
        }
        // characters after the closing quote belong to the field, as in Python's csv
        while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') cell += text[i++];
      } else {
        while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') cell += text[i++];
      }
      cells.push(cell);
      if (i < n && text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') {
      i++;
      line++;
    }
    if (!(cells.length === 1 && cells[0] === '')) out.push({ line: start, cells });
  }
  return out;
}

export function parseTable(text: string, file: string, format: TableFormat = formatOf(file)): Table {
  const records: TableRecord[] = [];
  if (format === 'jsonl') {
    const cols = new Set<string>();
    text.split('\n').forEach((l, k) => {
      if (l.trim() === '') return;
      let v: unknown;
      try {
        v = JSON.parse(l);
      } catch (cause) {
        throw new StaticEmbedError('INVALID_INPUT', `${file}:${k + 1}: not valid JSON (${(cause as Error).message}).`, {
          cause,
        });
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v))
        throw new StaticEmbedError('INVALID_INPUT', `${file}:${k + 1}: expected a JSON object with named fields.`);
      for (const key of Object.keys(v)) cols.add(key);
      records.push({ line: k + 1, values: v as Record<string, unknown> });
    });
    return { file, format, columns: [...cols], records };
  }
  const rows =
    format === 'csv'
      ? csvRows(text, file)
      : text
          .split('\n')
          .map((l, k) => ({ line: k + 1, cells: l.replace(/\r$/, '').split('\t') }))
          .filter((r) => !(r.cells.length === 1 && r.cells[0] === ''));
  const header = rows.shift();
  if (!header)
    throw new StaticEmbedError(
      'INVALID_INPUT',
      `${file} is empty: expected a header line naming the columns, then one record per line.`,
    );
  const columns = header.cells.map((c) => c.trim());
  for (const r of rows) {
    if (r.cells.length !== columns.length) {
      throw new StaticEmbedError(
        'INVALID_INPUT',
        `${file}:${r.line}: ${r.cells.length} fields, but the header names ${columns.length} (${columns.join(', ')}).`,
      );
    }
    const values: Record<string, unknown> = {};
    columns.forEach((c, k) => {
      values[c] = r.cells[k];
    });
    records.push({ line: r.line, values });
  }
  return { file, format, columns, records };
}

function hasColumn(table: Table, name: string): void {
  if (!table.columns.includes(name))
    throw new StaticEmbedError(
      'INVALID_INPUT',
      `${table.file}: no column "${name}"; the columns are ${table.columns.join(', ') || '(none)'}.`,
    );
}

/** The string values of a column, failing with the line of the first record that lacks it. */
export function column(table: Table, name: string, kind: 'string' | 'number' = 'string'): string[] | number[] {
  hasColumn(table, name);
  return table.records.map((r) => {
    const v = r.values[name];
    if (kind === 'number') {
      const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(x))
        throw new StaticEmbedError(
          'INVALID_INPUT',
          `${table.file}:${r.line}: column "${name}" should be a number, got ${JSON.stringify(v)}.`,
        );
      return x;
    }
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new StaticEmbedError(
      'INVALID_INPUT',
      `${table.file}:${r.line}: column "${name}" is missing or not text (${JSON.stringify(v)}).`,
    );
  }) as string[] | number[];
}

/** Where a column's value is, for messages: `column 2 ("label")` in CSV/TSV, `field "label"` in JSONL. */
function place(table: Table, name: string): string {
  return table.format === 'jsonl'
    ? `field ${JSON.stringify(name)}`
    : `column ${table.columns.indexOf(name) + 1} (${JSON.stringify(name)})`;
}

/**
 * A column every record must fill: `text`, a string with more than whitespace; `label`, such a string or an integer.
 * Anything else fails naming the file, line and column (FILE:LINE: column N ("name")).
 */
export function requiredColumn(table: Table, name: string, kind: 'text' | 'label'): string[] {
  hasColumn(table, name);
  const what = kind === 'text' ? 'a text' : 'a label (its class)';
  return table.records.map((r) => {
    const v = r.values[name];
    if (typeof v === 'string' && v.trim() !== '') return v;
    if (kind === 'label' && typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
    const where = `${table.file}:${r.line}: ${place(table, name)}`;
    if (v === undefined || (typeof v === 'string' && v === ''))
      throw new StaticEmbedError(
        'INVALID_INPUT',
        `${where} is ${v === undefined ? 'missing' : 'empty'}; every row needs ${what}: fill it in or remove the row.`,
      );
    if (typeof v === 'string')
      throw new StaticEmbedError(
        'INVALID_INPUT',
        `${where} holds only whitespace; every row needs ${what}: fill it in or remove the row.`,
      );
    throw new StaticEmbedError(
      'INVALID_INPUT',
      `${where} must be ${kind === 'text' ? 'a string' : 'a string or an integer'}, got ${describe(v)}; ` +
        `write ${kind === 'text' ? 'the text' : 'the label'} as a JSON string (in quotes).`,
    );
  });
}
