/** scripts/machine-constants.mjs: the TypeScript module generated from wasm/assembly/constants.ts. */
export function generateConstantsModule(source: string, sourceName: string): string;
