// How each kind of logged input reaches the machine on replay
// (docs/recording-format.md "Inputs"): one entry per InputKind, so a new kind
// is one line here and one in the recorder. An input of a kind this table
// does not know is an error, never typed at the console.
import { PrnrError } from '../../shared/errors';
import { InputKind, type InputEvent } from '../../shared/recording/format';
import type { Machine } from '../machine';

type Inject = (machine: Machine, event: InputEvent) => void;

const INJECT: Record<InputKind, Inject> = {
  [InputKind.console]: (machine, event) => {
    if (machine.typeInput(event.data) !== event.data.length) throw new PrnrError('REPLAY_INPUT', `the console input queue refused the input logged at tick ${event.tick}`);
  },
};

/** Injects one logged input into `machine` (which must be at the event's tick). */
export function injectInput(machine: Machine, event: InputEvent): void {
  const inject = (INJECT as Partial<Record<number, Inject>>)[event.kind];
  if (!inject) throw new PrnrError('REPLAY_INPUT_KIND', `the input logged at tick ${event.tick} is of kind ${event.kind}, which this prnr cannot replay (known kinds: ${Object.entries(InputKind).map(([name, kind]) => `${kind} ${name}`).join(', ')})`);
  inject(machine, event);
}
