/**
 * Which backend new tensors are created on. Backends register themselves here; ops look up a tensor's
 * backend by the name its storage carries.
 * @module
 */
import { ValueError } from '../errors.js';
import type { Backend } from './types.js';
import { cpuBackend } from './cpu/index.js';

const registry = new Map<string, Backend>([[cpuBackend.name, cpuBackend]]);
let current: Backend = cpuBackend;

/** Adds a backend so `setBackend(name)` can select it. */
export function registerBackend(backend: Backend): void {
  registry.set(backend.name, backend);
}

/** Makes `name` the backend new tensors are created on. */
export function setBackend(name: string): void {
  const b = registry.get(name);
  if (!b) throw new ValueError(`setBackend: unknown backend '${name}', expected one of ${[...registry.keys()].join(', ')}`);
  current = b;
}

/** The backend new tensors are created on. */
export function getBackend(): Backend {
  return current;
}

/** Names of the registered backends. */
export function listBackends(): string[] {
  return [...registry.keys()];
}

/** The registered backend called `name` (used to find a storage's owner). */
export function backendNamed(name: string): Backend {
  const b = registry.get(name);
  if (!b) throw new ValueError(`backend '${name}' is not registered`);
  return b;
}
