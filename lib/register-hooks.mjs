// Module hooks that fastnet/register (register.js) installs with module.register where Node lacks
// module.registerHooks (Node 20.6 to 22.14): `import ... from 'net'` (or 'node:net', or import('net')) from any
// module but fastnet's own resolves to a module that re-exports fastnet, through require, so that CommonJS and
// ESM share one instance. They run in Node's hooks thread: `data` carries what they need.
import { fileURLToPath } from 'node:url';

let own = '';
let swapURL = '';
let source = '';

export function initialize(data) {
  ({ own, url: swapURL, source } = data);
}

function isOwn(parentURL) {
  return typeof parentURL === 'string' && parentURL.startsWith('file:') && fileURLToPath(parentURL).startsWith(own);
}

export async function resolve(specifier, context, nextResolve) {
  if ((specifier === 'net' || specifier === 'node:net') && !isOwn(context.parentURL)) {
    return { url: swapURL, format: 'module', shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (url === swapURL) return { format: 'module', source, shortCircuit: true };
  return nextLoad(url, context);
}
