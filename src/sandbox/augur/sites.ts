/**
 * The two sandbox sites. Each site is a separate tenant of the service: its own data, its own tokens.
 * `idBase` keeps the numeric id ranges of the two sites apart, so an id can never exist on both.
 */
export interface SiteDef {
  key: 'acme' | 'globex';
  siteId: string;
  /** P21 company id of the site's customers. */
  companyId: string;
  /** First digit of every numeric id of the site (1 → 10001, 1000001, ...). */
  idBase: number;
  /** Seed of the site's PRNG. */
  seed: number;
  /** Identity carried by the site's demo token (and echoed by /whoami). */
  identity: { userId: number; username: string; name: string; email: string };
}

export const SITE_DEFS: readonly SiteDef[] = [
  {
    key: 'acme',
    siteId: 'acme-site',
    companyId: 'ACME',
    idBase: 1,
    seed: 0xac3e,
    identity: { userId: 1001, username: 'acme-sandbox', name: 'Acme Sandbox Integration', email: 'integration@acme-site.example' },
  },
  {
    key: 'globex',
    siteId: 'globex-site',
    companyId: 'GLOBEX',
    idBase: 2,
    seed: 0x610b,
    identity: { userId: 2001, username: 'globex-sandbox', name: 'Globex Sandbox Integration', email: 'integration@globex-site.example' },
  },
];

export function findSite(siteId: string): SiteDef | undefined {
  return SITE_DEFS.find((site) => site.siteId === siteId);
}
