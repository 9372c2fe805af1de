/** One evaluation unit and its task type: what the evaluators and the dataset readers share. */
export type TaskType = 'sts' | 'bitext' | 'pairs' | 'classification';

/** One evaluation unit: a task, a split and a subset (language). */
export interface EvalItem {
  task: string;
  type: TaskType;
  split: string;
  subset: string;
  /** sts, pairs: sentence pairs; bitext: source / target; classification: train and test texts */
  a: string[];
  b: string[];
  /** sts: gold scores; pairs: 0/1 labels */
  scores?: number[];
  /** classification: train labels (`a`) and test labels (`b`) */
  trainLabels?: string[];
  testLabels?: string[];
}
