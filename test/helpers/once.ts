/** `once(f)`: `f` runs on the first call; every call gets that first call's promise (a setup shared by tests). */
export function once<A extends unknown[], T>(f: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let result: Promise<T> | undefined;
  return (...args) => (result ??= f(...args));
}
