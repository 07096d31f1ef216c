// The browser host of a LiveSession (../live-session.ts): performance.now,
// setTimeout for waits, and a MessageChannel to yield a turn without the
// 4 ms clamp that nested setTimeout(0) gets.
import type { LiveHost } from '../live-session';

function messageChannelYield(): () => Promise<void> {
  const channel = new MessageChannel();
  const waiting: Array<() => void> = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(0);
    });
}

export function webLiveHost(): LiveHost {
  return {
    now: () => performance.now(),
    sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    yieldNow: messageChannelYield(),
  };
}
