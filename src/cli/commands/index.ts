// The table of `prnr` commands. Each entry loads its module only when that
// command runs (or for --help), so a command's dependencies cost nothing to
// the others. To add one: write src/cli/commands/<name>.ts exporting
// `command: Command` (see ../command.ts), then add a line here.
import type { Command } from '../command';

type Loader = () => Promise<{ command: Command }>;

export const commands: Record<string, Loader> = {
  analyze: () => import('./analyze'),
  boot: () => import('./boot'),
  diff: () => import('./diff'),
  info: () => import('./info'),
  keygen: () => import('./keygen'),
  push: () => import('./push'),
  record: () => import('./record'),
  replay: () => import('./replay'),
  seek: () => import('./seek'),
  serve: () => import('./serve'),
  trace: () => import('./trace'),
  verify: () => import('./verify'),
  version: () => import('./version'),
  worker: () => import('./worker'),
};
