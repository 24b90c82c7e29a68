/** A configuration the server must not start with: the CLI prints its message on one line and exits 2. */
export class ConfigError extends Error {
  readonly exitCode = 2;
}
