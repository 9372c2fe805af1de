/** The top-level fields of eval's MTEB-format result files, in order (a --quick run's add `sample`). */
export function mtebResultKeys(quick: boolean): string[] {
  return [
    'task_name',
    'mteb_version',
    'dataset_revision',
    'evaluation_time',
    'model_name',
    'embedding_dim',
    ...(quick ? ['sample'] : []),
    'scores',
  ];
}
