/** A transformed model: new table parts, everything else (layout, profile, normalization, limits, class) as the source. */
import { coreFromTable, type ModelTable } from '../model/from-table.js';
import { modelInternals, type StaticModel } from '../model/static-model.js';

export function rebuildModel(source: StaticModel, parts: ModelTable, tensorName: string): StaticModel {
  const core = modelInternals.core(source);
  const { truncateDim: _t, ...options } = core.options;
  void _t;
  return modelInternals.create(
    coreFromTable(
      parts,
      { ...options, profile: source.profile, normalize: source.normalize, maxLength: source.maxLength },
      { ...core.resolved, tensorNames: [tensorName] },
    ),
    source.constructor as typeof StaticModel,
  );
}

/** A copy of the source model's tokenizer.json bytes (in an ordinary ArrayBuffer, even when the model shares them). */
export function tokenizerJsonOf(model: StaticModel): Uint8Array {
  return modelInternals.core(model).tokenizerJson.slice();
}
