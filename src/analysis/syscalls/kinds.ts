// Every argument kind the syscall table may name, from one table per area.
import type { ArgKind } from './kind.ts';
import { BASIC_KINDS } from './kinds-basic.ts';
import { FS_KINDS } from './kinds-fs.ts';
import { PROC_KINDS } from './kinds-proc.ts';
import { NET_KINDS } from './kinds-net.ts';

export const KINDS: Readonly<Record<string, ArgKind>> = { ...BASIC_KINDS, ...FS_KINDS, ...PROC_KINDS, ...NET_KINDS };
