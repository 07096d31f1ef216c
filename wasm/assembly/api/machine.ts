// Exports of the machine (run loop, state, RAM, boot). Owned by cpu/run code.
export function apiVersion(): u32 { return 1; }
