// The Node host of a LiveSession (../live-session.ts): performance.now, timers, setImmediate.
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { LiveHost } from '../live-session';

export const nodeLiveHost: LiveHost = {
  now: () => performance.now(),
  sleep: async (ms) => {
    await sleep(ms);
  },
  yieldNow: async () => {
    await nextTurn();
  },
};
