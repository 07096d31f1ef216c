// The hart at a tick as the registers panel shows it: registers and the common CSRs.
import type { CsrValue, RegistersAt } from '../../../engine/engine-api';

export interface HartAt extends RegistersAt {
  csrs: CsrValue[];
}
