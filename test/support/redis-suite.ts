import { describe, it } from 'vitest';
import { redisAvailability } from './redis.js';

type SuiteOptions = Parameters<typeof describe>[1];

/**
 * `describe` for suites that need a real redis-server: runs them when it is installed; otherwise says so plainly
 * on stderr and skips them (describe.skip, reported as skipped), except in CI (CI=true), where a missing
 * redis-server fails loudly instead.
 */
export function describeWithRedis(name: string, options: SuiteOptions, body: () => void): void {
  const availability = redisAvailability();
  if (availability.run === true) {
    describe(name, options, body);
  } else if (availability.run === 'fail') {
    describe(name, () => {
      it('needs redis-server in CI', () => {
        throw new Error(`CI=true but ${availability.reason}: .ci/run installs it; the Redis suites must run in CI`);
      });
    });
  } else {
    process.stderr.write(`\nSKIPPED "${name}": ${availability.reason}\n`);
    describe.skip(`${name} [SKIPPED: ${availability.reason}]`, options, body);
  }
}
