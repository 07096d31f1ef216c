/** scripts/machine-constants.mjs: the TypeScript module generated from wasm/assembly/constants.ts. */
export function generateConstantsModule(source: string, sourceName: string): string;
/** scripts/machine-constants.mjs: the TypeScript module generated from the built machine's describeMachine(). */
export function generateLayoutModule(description: { state: Array<Record<string, unknown>>; board: Array<Record<string, unknown>> }): string;
