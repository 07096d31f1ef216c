// The hart at a tick as the registers panel shows it: registers and the common CSRs (the engine's HartAt, one seek).
export type { HartAt } from '../../../engine/engine-api';
