// The panels that show the machine at the playhead (registers, disassembly,
// memory) and what binds them to it: the tick they compute (latest wins, as
// useMachineTick guards) and pc there, for the two that follow it. Only this
// and the panels whose props changed re-render on a seek, not the page.
import { memo, type ReactNode } from 'react';
import type { AddressSpace, RecordingView } from '../../app/share-state';
import { DisassemblyPanel } from '../disassembly/DisassemblyPanel';
import { MemoryPanel } from '../memory/MemoryPanel';
import { useHartAt, useMachineTick } from '../registers/queries';
import { RegistersPanel } from '../registers/RegistersPanel';
import { usePlayheadTick, type Playhead } from './playhead';

const Registers = memo(RegistersPanel);
const Disassembly = memo(DisassemblyPanel);
const Memory = memo(MemoryPanel);

export interface MachinePanelsProps {
  id: string;
  image: string;
  playhead: Playhead;
  addr: bigint | undefined;
  space: AddressSpace;
  onMemory(addr: bigint | undefined, space: AddressSpace): void;
  onSeek(tick: bigint): void;
  /** The grid slot of a view's panel. */
  slot(view: RecordingView, panel: ReactNode): ReactNode;
}

function MachinePanelsImpl({ id, image, playhead, addr, space, onMemory, onSeek, slot }: MachinePanelsProps) {
  const machineTick = useMachineTick(id, usePlayheadTick(playhead));
  const hart = useHartAt(id, machineTick);
  const pc = hart.data && hart.data.tick === machineTick ? hart.data.pc : undefined;
  return (
    <>
      {slot('registers', <Registers id={id} tick={machineTick} onSeek={onSeek} />)}
      {slot('disassembly', <Disassembly id={id} tick={machineTick} image={image} pc={pc} />)}
      {slot('memory', <Memory id={id} tick={machineTick} pc={pc} addr={addr} space={space} onChange={onMemory} onSeek={onSeek} />)}
    </>
  );
}

export const MachinePanels = memo(MachinePanelsImpl);
