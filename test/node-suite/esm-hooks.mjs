// Module hooks registered by preload.js: resolve `net` / `node:net` imports to a generated module that
// re-exports fastnet (loaded through require, so CommonJS and ESM share one instance).
// Named exports mirror core net's export names: the API fastnet replaces.
import * as coreNet from 'node:net';
import { fileURLToPath } from 'node:url';

const SWAP_URL = 'fastnet-swap:net';
let own = [];
let source = '';

export function initialize(data) {
  own = data.own;
  const names = Object.keys(coreNet.default)
    .filter((name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name));
  source = [
    "import { createRequire } from 'node:module';",
    `const net = createRequire(${JSON.stringify(data.requireFrom)})(${JSON.stringify(data.root)});`,
    'export default net;',
    `export const { ${names.join(', ')} } = net;`,
    '',
  ].join('\n');
}

function isOwn(parentURL) {
  if (!parentURL || !parentURL.startsWith('file:')) return false;
  const file = fileURLToPath(parentURL);
  return own.some((dir) => file.startsWith(dir));
}

export async function resolve(specifier, context, nextResolve) {
  if ((specifier === 'net' || specifier === 'node:net') && !isOwn(context.parentURL)) {
    return { url: SWAP_URL, format: 'module', shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (url === SWAP_URL) return { format: 'module', source, shortCircuit: true };
  return nextLoad(url, context);
}
