/**
 * A host name that does not resolve (`ENOTFOUND`) is a configuration error, not an outage: retrying cannot help,
 * and "try again shortly" would send the agent round in circles. `EAI_AGAIN` ("temporary failure in name
 * resolution") is transient and stays an ordinary, retried network failure.
 */
export function isUnresolvableHost(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return cause?.code === 'ENOTFOUND' || (error as { code?: unknown } | undefined)?.code === 'ENOTFOUND';
}

/** A URL as safe to show: scheme, host and path, without user info or query. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
  } catch {
    return '(an invalid URL)';
  }
}
