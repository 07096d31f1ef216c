// Exports used by the FPU tests.
