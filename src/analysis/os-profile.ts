// The OS introspection profile of a guest image: its profile.json
// (manifest files.profile), the kernel facts the analyses need to read guest
// memory as the kernel lays it out: struct layouts (task_struct, mm_struct,
// ...), symbol addresses and the syscall table. Extracted at build time from
// the kernel's DWARF (pahole), System.map and uapi headers by
// scripts/guest/make-profile.ts; format described in docs/images.md.
import { ImageManifestError, count, isObject, parseImageJson } from '../shared/image-manifest.ts';

export const OS_PROFILE_FORMAT = 'prnr-os-profile';
export const OS_PROFILE_VERSION = 1;

export interface StructField {
  /** Byte offset from the start of the struct. */
  offset: number;
  /** Size in bytes (arrays: the whole array). */
  size: number;
}

export interface StructLayout {
  size: number;
  fields: Record<string, StructField>;
}

export interface OsProfile {
  format: typeof OS_PROFILE_FORMAT;
  version: typeof OS_PROFILE_VERSION;
  kernel: { release: string; arch: 'riscv64'; hz: number };
  /** Layouts of task_struct, mm_struct, thread_info, thread_struct: every member pahole reports (docs/images.md lists the ones guaranteed). */
  structs: Record<string, StructLayout>;
  /** Kernel symbol -> virtual address, lowercase hex "0x...". */
  symbols: Record<string, string>;
  /** Syscall number (decimal string) -> name without the __NR_ prefix, e.g. "64": "write". */
  syscalls: Record<string, string>;
}

/** Parse profile.json text; throws ImageManifestError (code IMAGE_MANIFEST_INVALID) when malformed. */
export function parseOsProfile(text: string): OsProfile {
  const json = parseImageJson(text, 'profile');
  if (!isObject(json) || json.format !== OS_PROFILE_FORMAT || json.version !== OS_PROFILE_VERSION) {
    throw new ImageManifestError(`profile must have format "${OS_PROFILE_FORMAT}" and version ${OS_PROFILE_VERSION}`);
  }
  const { kernel, structs, symbols, syscalls } = json;
  if (!isObject(kernel) || !isObject(structs) || !isObject(symbols) || !isObject(syscalls)) {
    throw new ImageManifestError('profile must have kernel, structs, symbols and syscalls objects');
  }
  for (const [name, layout] of Object.entries(structs)) {
    if (!isObject(layout) || !isObject(layout.fields)) {
      throw new ImageManifestError(`profile.structs.${name} must have fields`);
    }
    count(layout, 'size', `profile.structs.${name}`);
    for (const [field, value] of Object.entries(layout.fields)) {
      if (!isObject(value)) throw new ImageManifestError(`profile.structs.${name}.fields.${field} must be an object`);
      count(value, 'offset', `profile.structs.${name}.fields.${field}`);
      count(value, 'size', `profile.structs.${name}.fields.${field}`);
    }
  }
  for (const [name, address] of Object.entries(symbols)) {
    if (typeof address !== 'string' || !/^0x[0-9a-f]+$/.test(address)) {
      throw new ImageManifestError(`profile.symbols.${name} must be a lowercase hex address`);
    }
  }
  for (const [nr, name] of Object.entries(syscalls)) {
    if (!/^\d+$/.test(nr) || typeof name !== 'string') {
      throw new ImageManifestError(`profile.syscalls must map decimal numbers to names (bad entry "${nr}")`);
    }
  }
  return json as unknown as OsProfile;
}
