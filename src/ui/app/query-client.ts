// The page's TanStack Query client, and when its observers hear an answer.
// TanStack hands every batch of notifications to setTimeout(0) by default,
// which Chromium clamps to 4 ms once timers nest five deep (an answer's
// notifications schedule more); a posted message is the next task without a
// clamp. A task, not a microtask: a query's observers render synchronously
// (useSyncExternalStore), and in a microtask the render, and the next
// position's request, would run inside the handler of the answer's message.
import { notifyManager, QueryClient } from '@tanstack/react-query';

/** Runs the callbacks queued by the time it runs, in the next task. */
function nextTask(): (callback: () => void) => void {
  const queue: (() => void)[] = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    for (const callback of queue.splice(0)) callback();
  };
  return (callback) => {
    if (queue.push(callback) === 1) channel.port2.postMessage(null);
  };
}

notifyManager.setScheduler(nextTask());

export const queryClient = new QueryClient();
