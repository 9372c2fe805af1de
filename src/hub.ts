/** Placeholder replaced below. */
export interface HubOptions { revision?: string }
export async function downloadModel(id: string, _options: HubOptions = {}): Promise<string> {
  throw new Error(`hub not implemented: ${id}`);
}
