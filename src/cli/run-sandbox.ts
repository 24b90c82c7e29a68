import type { Settings } from '../config/options.js';
import { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS } from '../sandbox/credentials.js';
import { VERSION } from '../version.js';
import { listenFailure, onStopSignals } from './lifecycle.js';
import { loadFaultsFile } from './sandbox-faults.js';

/** `sandbox`: the embedded sandbox alone, with its URLs and demo credentials printed for curl. */
export async function runSandbox(settings: Settings<'port' | 'host' | 'faults'>): Promise<'running'> {
  const faults = settings.faults ? loadFaultsFile(settings.faults) : undefined;
  const { startSandbox } = await import('../sandbox/index.js');
  const sandbox = await startSandbox({ port: settings.port, host: settings.host, recordRequests: false, ...(faults ? { faults } : {}) }).catch(
    (error: unknown) => {
      throw listenFailure(error, settings.host, settings.port);
    },
  );
  const acme = SANDBOX_PARTSSOURCE_CREDENTIALS.acme;
  const lines = [
    `customer-api-mcp sandbox ${VERSION} listening on ${sandbox.origin}`,
    '',
    'PartsSource Customer API',
    `  PARTSSOURCE_BASE_URL=${sandbox.partssource.baseUrl}`,
    `  PARTSSOURCE_TOKEN_URL=${sandbox.partssource.tokenUrl}`,
    ...Object.entries(SANDBOX_PARTSSOURCE_CREDENTIALS).map(
      ([name, c]) => `  ${name}: client_id=${c.clientId} client_secret=${c.clientSecret} x-api-key=${c.apiKey}`,
    ),
    '',
    'Augur customers service',
    `  AUGUR_BASE_URL=${sandbox.augur.baseUrl}`,
    ...Object.entries(SANDBOX_AUGUR_SITES).map(([name, s]) => `  ${name}: AUGUR_SITE_ID=${s.siteId} AUGUR_TOKEN=${s.token}`),
    '',
    'Try:',
    `  TOKEN=$(curl -s -d grant_type=client_credentials -d client_id=${acme.clientId} -d client_secret=${acme.clientSecret} ${sandbox.partssource.tokenUrl} | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')`,
    `  curl -s -H "Authorization: Bearer $TOKEN" -H "x-api-key: ${acme.apiKey}" '${sandbox.partssource.baseUrl}/users/lookup?userId=12345'`,
    '',
    'These are demo credentials of the local sandbox only. Ctrl+C stops it.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  onStopSignals(() => void sandbox.close().then(() => process.exit(0)));
  return 'running';
}
