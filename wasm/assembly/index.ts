// The module's exports, grouped by the file that owns them.
export * from './api/machine';
export * from './api/devices';
export * from './api/fpu';
