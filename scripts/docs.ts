/**
 * `npm run docs`: regenerates every generated part of the docs: the README's configuration table and server.json's
 * environment variables (from src/config/options.ts), and the README's tool tables (from the registry, src/tools).
 * Tests fail, saying "run npm run docs", while any of them is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { README_BEGIN, README_END, readmeOptionsTable, serverJsonVariables } from './options-docs.js';
import { TOOLS_BEGIN, TOOLS_END, readmeToolTables } from './tool-tables.js';

/** The text with what lies between the two marker lines replaced by `body`. */
function withSection(text: string, begin: string, end: string, body: string): string {
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${begin} … ${end} markers`);
  return `${text.slice(0, from + begin.length)}\n${body}\n${text.slice(to)}`;
}

const readmeUrl = new URL('../README.md', import.meta.url);
let readme = readFileSync(readmeUrl, 'utf8');
readme = withSection(readme, README_BEGIN, README_END, readmeOptionsTable());
readme = withSection(readme, TOOLS_BEGIN, TOOLS_END, readmeToolTables());
writeFileSync(readmeUrl, readme);

const serverUrl = new URL('../server.json', import.meta.url);
const server = JSON.parse(readFileSync(serverUrl, 'utf8')) as { packages: Array<{ environmentVariables: unknown }> };
server.packages[0]!.environmentVariables = serverJsonVariables();
writeFileSync(serverUrl, `${JSON.stringify(server, null, 2)}\n`);

process.stdout.write('README.md (configuration table, tool tables) and server.json written from src/config/options.ts and src/tools\n');
