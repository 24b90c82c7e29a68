import { demoToken } from './augur/auth.js';
import { SITE_DEFS, type SiteDef } from './augur/sites.js';

/**
 * The sandbox's demo credentials, in a module of their own so that the CLI and the HTTP tenants can name them
 * without loading (and seeding) the whole sandbox: a live-mode start never pays for it.
 */
export { SANDBOX_PARTSSOURCE_CREDENTIALS } from './partssource/credentials.js';

const site = (key: SiteDef['key']): SiteDef => SITE_DEFS.find((s) => s.key === key) as SiteDef;

/** The demo sites and their long-lived site tokens (same string on every start). */
export const SANDBOX_AUGUR_SITES: {
  acme: { siteId: string; token: string };
  globex: { siteId: string; token: string };
} = {
  acme: { siteId: site('acme').siteId, token: demoToken(site('acme')) },
  globex: { siteId: site('globex').siteId, token: demoToken(site('globex')) },
};
