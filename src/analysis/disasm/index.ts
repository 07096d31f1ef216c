// RV64GC disassembler printing as GNU objdump 2.40 does (see disassembler.ts).
export { Disassembler, decode, disassemble, objdumpHex, type DisasmOptions, type Instruction, type SymbolRef } from './disassembler.ts';
export { PRIV_SPECS, type PrivSpec } from './csr-names.ts';
