/**
 * Vocabulary quantization, model2vec's scheme: weights, directions clustered into centroids, a mapping.
 * See ARCHITECTURE.md, "Models written".
 */
import { StaticEmbedError } from '../errors.js';
import { Matrix } from '../math/matrix.js';
import { modelInternals, type StaticModel } from '../model/static-model.js';
import { miniBatchKMeans } from '../tasks/kmeans.js';
import { rebuildModel, tokenizerJsonOf } from './rebuild.js';

export function quantizeVocabulary(model: StaticModel, clusters: number, seed = 42): StaticModel {
  if (model.mapping) throw new StaticEmbedError('INVALID_ARGUMENT', 'This model is already vocabulary-quantized.');
  const rows = model.tableRows,
    d = model.dim;
  if (!Number.isInteger(clusters) || clusters < 2 || clusters >= rows)
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `The number of clusters must be an integer from 2 to ${rows - 1}, got ${clusters}.`,
    );
  const dirs = new Matrix(rows, d);
  const weights = new Float32Array(rows);
  const table = modelInternals.floatTable(model);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += table[r * d + j]! ** 2;
    const norm = Math.sqrt(s) + 1e-32;
    weights[r] = norm * (model.weights ? model.weights[r]! : 1);
    for (let j = 0; j < d; j++) dirs.data[r * d + j] = table[r * d + j]! / norm;
  }
  const km = miniBatchKMeans(dirs, { k: clusters, seed, batchSize: 4096, maxIter: 60 });
  const mapping = Int32Array.from(km.labels);
  return rebuildModel(
    model,
    { tokenizer: tokenizerJsonOf(model), table: km.centroids.data, dim: d, mapping, weights },
    'embeddings',
  );
}
