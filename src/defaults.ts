/** Option objects merged with their defaults once: each option left undefined takes its default (as `??` would). */
export function withDefaults<T extends object, D extends Partial<T>>(defaults: D, options: T): T & Required<D> {
  const merged = { ...options } as Record<string, unknown>;
  for (const [key, value] of Object.entries(defaults)) merged[key] = merged[key] ?? value;
  return merged as T & Required<D>;
}
