// tools/list cost: bytes and tokens of what a client receives, total and per tool, for the default tool set and per
// upstream; beside it, what a generic OpenAPI-to-MCP proxy lists for the same APIs.
//
// Tokenizer: gpt-tokenizer's o200k_base (the GPT-4o/GPT-5 encoding), pure JS with its ranks in the package, so
// nothing is downloaded at run time. Anthropic publishes no tokenizer for current Claude models (the npm
// @anthropic-ai/tokenizer is the Claude 2 one), so o200k_base is the stand-in; expect Claude counts within ~10-20%.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { cleanEnv, dist, printTable, ROOT, runMain, stdioClient, writeResult } from './lib.mjs';

// Issue 17's goals: no tool over 250 tokens, the default list at most 7,000.
const GOAL_TOKENS_PER_TOOL = 250;
const GOAL_TOKENS_DEFAULT_LIST = 7000;

/** The exact tools/list result message as the server sends it (captured on the client transport). */
async function rawToolsList(server) {
  const client = new Client({ name: 'bench-tool-list', version: '1.0.0' });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  await client.connect(clientTransport);
  let captured;
  const original = clientTransport.onmessage;
  clientTransport.onmessage = (message, extra) => {
    if (message.result && Array.isArray(message.result.tools)) captured = message;
    original?.(message, extra);
  };
  await client.listTools();
  await client.close();
  await server.close();
  return captured;
}

function measure(label, message) {
  const wire = JSON.stringify(message);
  const tools = message.result.tools.map((tool) => {
    const json = JSON.stringify(tool);
    return {
      tool: tool.name,
      bytes: Buffer.byteLength(json),
      tokens: countTokens(json),
      description: countTokens(tool.description ?? ''),
      input: countTokens(JSON.stringify(tool.inputSchema ?? {})),
      output: countTokens(JSON.stringify(tool.outputSchema ?? {})),
    };
  });
  const totalTokens = countTokens(wire);
  return {
    variant: label,
    tools: tools.length,
    bytes: Buffer.byteLength(wire),
    tokens: totalTokens,
    tokensPerTool: tools.length ? Math.round(totalTokens / tools.length) : 0,
    maxToolTokens: Math.max(0, ...tools.map((t) => t.tokens)),
    overGoal: tools.filter((t) => t.tokens > GOAL_TOKENS_PER_TOOL).length,
    outputSchemaShare: tools.length ? Math.round((100 * tools.reduce((s, t) => s + t.output, 0)) / tools.reduce((s, t) => s + t.tokens, 0)) : 0,
    perTool: tools,
  };
}

async function main() {
  const { startSandbox, SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS } = await dist('sandbox/index.js');
  const { createMcpServer } = await dist('server.js');
  const { PartsSourceClient } = await dist('clients/partssource.js');
  const { AugurClient } = await dist('clients/augur.js');
  const { silentLogger } = await dist('logger.js');
  const sandbox = await startSandbox({ recordRequests: false });
  const acme = SANDBOX_PARTSSOURCE_CREDENTIALS.acme;
  const partssource = new PartsSourceClient({
    baseUrl: sandbox.partssource.baseUrl,
    tokenUrl: sandbox.partssource.tokenUrl,
    clientId: acme.clientId,
    clientSecret: acme.clientSecret,
    apiKey: acme.apiKey,
  });
  const augur = new AugurClient({ baseUrl: sandbox.augur.baseUrl, token: SANDBOX_AUGUR_SITES.acme.token, siteId: SANDBOX_AUGUR_SITES.acme.siteId });
  const log = silentLogger();
  const build = (clients, extra = {}) => createMcpServer({ clients, log, ...extra });

  const variants = [
    measure('default (PartsSource + Augur, sandbox)', await rawToolsList(build({ partssource, augur }))),
    measure('PartsSource only', await rawToolsList(build({ partssource }))),
    measure('Augur only', await rawToolsList(build({ augur }))),
  ];
  const notes = [];

  // Options another change may have added; measured only when they change the list.
  const readOnly = measure('default --read-only', await rawToolsList(build({ partssource, augur }, { readOnly: true })));
  if (readOnly.tools < variants[0].tools) variants.push(readOnly);
  else notes.push('--read-only: createMcpServer has no readOnly option in this build (the list did not change); not measured.');
  const toolsetsProbe = measure('probe', await rawToolsList(build({ partssource, augur }, { toolsets: ['users'] })));
  if (toolsetsProbe.tools < variants[0].tools) {
    for (const set of [['users', 'catalog', 'orders'], ['customers'], ['documents']]) {
      const m = measure(`toolsets ${set.join(',')}`, await rawToolsList(build({ partssource, augur }, { toolsets: set })));
      if (m.tools > 0) variants.push(m);
    }
  } else {
    notes.push('--toolsets: createMcpServer has no toolsets option in this build (the list did not change); not measured.');
  }

  // The generic OpenAPI-to-MCP proxy over the sandbox's own OpenAPI documents.
  const bin = `${ROOT}/node_modules/@ivotoby/openapi-mcp-server/bin/mcp-server.js`;
  for (const [label, spec, base, headers] of [
    ['generic proxy: PartsSource OpenAPI', 'partssource', sandbox.partssource.baseUrl, `Authorization:Bearer x,x-api-key:${acme.apiKey}`],
    ['generic proxy: Augur OpenAPI', 'augur', sandbox.augur.baseUrl, `Authorization:Bearer x,x-site-id:${SANDBOX_AUGUR_SITES.acme.siteId}`],
  ]) {
    const proxy = await stdioClient(process.execPath, [bin], cleanEnv({
      API_BASE_URL: base,
      OPENAPI_SPEC_PATH: `${sandbox.origin}/${spec}/openapi.json`,
      API_HEADERS: headers,
      VERBOSE: 'false',
    }));
    try {
      const list = await proxy.client.listTools();
      variants.push(measure(label, { jsonrpc: '2.0', id: 1, result: list }));
    } finally {
      await proxy.close();
    }
  }
  await sandbox.close();

  printTable(
    `tools/list cost (o200k_base tokens; goals: <= ${GOAL_TOKENS_PER_TOOL} tokens per tool, default list <= ${GOAL_TOKENS_DEFAULT_LIST})`,
    [
      ['variant', 'variant'],
      ['tools', 'tools'],
      ['bytes', 'bytes'],
      ['tokens', 'tokens'],
      ['tokens/tool', 'tokensPerTool'],
      ['max tool', 'maxToolTokens'],
      [`tools > ${GOAL_TOKENS_PER_TOOL}`, 'overGoal'],
      ['outputSchema %', 'outputSchemaShare'],
    ],
    variants,
  );
  const perTool = [...variants[0].perTool].sort((a, b) => b.tokens - a.tokens);
  printTable(
    'per tool, default set (tokens of the tool object; description / inputSchema / outputSchema alone)',
    [['tool', 'tool'], ['bytes', 'bytes'], ['tokens', 'tokens'], ['description', 'description'], ['input', 'input'], ['output', 'output']],
    perTool,
  );
  for (const note of notes) process.stdout.write(`note: ${note}\n`);
  writeResult('tool-list', {
    tokenizer: 'gpt-tokenizer 4.0.0, o200k_base',
    goalTokensPerTool: GOAL_TOKENS_PER_TOOL,
    goalTokensDefaultList: GOAL_TOKENS_DEFAULT_LIST,
    notes,
    variants: variants.map(({ perTool: tools, ...rest }) => ({ ...rest, perTool: tools })),
  });
}

runMain(main);
