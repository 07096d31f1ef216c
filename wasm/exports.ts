// The machine's wasm exports as the host sees them, typed from the declaration
// the build emits beside machine.wasm (wasm/build/machine.d.ts, asc with raw
// bindings), so an export is declared once: where it is written, in
// wasm/assembly/api. Raw bindings convert nothing: a u64 result arrives as a
// signed bigint (callers take BigInt.asUintN(64, v)) and a bool result as 0 or
// 1; a bool argument may be given as a boolean or a number. The mapping below
// says so instead of the declaration's `boolean`.
import type { instantiate } from './build/machine';

type Declared = Awaited<ReturnType<typeof instantiate>>;

type RawArgs<A extends unknown[]> = { [I in keyof A]: A[I] extends boolean ? boolean | number : A[I] };
type Raw<F> = F extends (...args: infer A) => infer R ? (...args: RawArgs<A>) => (R extends boolean ? number : R) : F;

export type MachineExports = { [K in keyof Declared]: Raw<Declared[K]> };
