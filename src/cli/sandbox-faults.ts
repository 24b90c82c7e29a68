import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/config-error.js';
import type { AppConfig } from '../config/upstreams.js';
import { FaultFile, type FaultRule } from '../sandbox/faults.js';

/** Reads a faults file (`{"faults": [rule, ...]}`) with the sandbox's own schema, naming what is wrong in it. */
export function loadFaultsFile(path: string): FaultRule[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read the faults file ${path}: ${(error as Error).message}`);
  }
  const parsed = FaultFile.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(`invalid faults file ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data.faults;
}

/** The configuration with its faults file (if any) read, ready for the runtime's sandbox. */
export function withSandboxFaults(config: AppConfig): AppConfig {
  return config.faultsFile ? { ...config, sandboxFaults: loadFaultsFile(config.faultsFile) } : config;
}
