/** The safetensors header, as on disk: {name: {dtype, shape, data_offsets}, "__metadata__": {string: string}}. */
export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I8' | 'U8' | 'I32' | 'I64';

export interface SafetensorsTensorJson {
  dtype: SafetensorsDtype;
  shape: number[];
  data_offsets: [number, number];
}

export type SafetensorsHeaderJson = Record<string, SafetensorsTensorJson | Record<string, string>>;
