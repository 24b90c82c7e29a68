// Placeholder: the Augur client is written in its own change (issue 3). Replace wholesale.
export interface AugurConfig {
  baseUrl: string;
  token: string;
  siteId: string;
  timeoutMs?: number;
}

export class AugurClient {
  constructor(readonly config: AugurConfig) {}
}
