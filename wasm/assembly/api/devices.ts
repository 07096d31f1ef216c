// Exports for the devices (console I/O, disk, rng seed, device tests).
