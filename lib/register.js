'use strict';
// fastnet/register: `node -r fastnet/register app.js` or `node --import fastnet/register app.mjs`.
// From then on, in this process, every module but fastnet's own gets fastnet for `net`:
//  - require('net'), require('node:net')                  Module._load returns fastnet
//  - import ... from 'net' / 'node:net', import('net')    a module hook resolves them to a module that
//                                                          re-exports fastnet (registerHooks where Node has it,
//                                                          22.15+; module.register before)
//  - process.getBuiltinModule('net')                       returns fastnet
// One instance: require('net') === require('fastnet') === the default export of `import net from 'net'`.
// Not reached: what Node's own modules hold (http, https, tls, cluster, ... use core's net internally; see the
// README for an http server fed by fastnet), and processes started without the flag (NODE_OPTIONS carries it).

const Module = require('module');
const path = require('path');
const { pathToFileURL, fileURLToPath } = require('url');
const { isMainThread, parentPort } = require('worker_threads');

const INDEX = path.join(__dirname, 'index.js');
const OWN = __dirname + path.sep;            // fastnet's lib/: it is built on core's net
const SWAP_URL = 'fastnet-register:net';
const kRegistered = Symbol.for('fastnet.register');

const isNet = (id) => id === 'net' || id === 'node:net';
const isOwnFile = (filename) => typeof filename === 'string' && filename.startsWith(OWN);
const isOwnURL = (url) => typeof url === 'string' && url.startsWith('file:') && isOwnFile(fileURLToPath(url));

// The module an `import ... from 'net'` gets: fastnet's exports under every name core's net has here.
function swapSource() {
  const names = Object.keys(require('net')).filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
  return [
    "import { createRequire } from 'node:module';",
    `const net = createRequire(${JSON.stringify(pathToFileURL(INDEX).href)})(${JSON.stringify(INDEX)});`,
    'export default net;',
    `export const { ${names.join(', ')} } = net;`,
    '',
  ].join('\n');
}

function register() {
  const load = Module._load;
  Module._load = function _load(request, parent, isMain) {
    if (isNet(request) && !(parent && isOwnFile(parent.filename))) return load.call(this, INDEX, null, false);
    return load.apply(this, arguments);
  };

  if (typeof process.getBuiltinModule === 'function') {
    const getBuiltinModule = process.getBuiltinModule;
    process.getBuiltinModule = function getBuiltinModuleOrFastnet(id) {
      return isNet(id) ? require(INDEX) : Reflect.apply(getBuiltinModule, this, arguments);
    };
  }

  if (typeof Module.registerHooks === 'function') {
    let source;
    Module.registerHooks({
      resolve(specifier, context, nextResolve) {
        if (isNet(specifier) && !isOwnURL(context.parentURL)) return { url: SWAP_URL, format: 'module', shortCircuit: true };
        return nextResolve(specifier, context);
      },
      load(url, context, nextLoad) {
        if (url === SWAP_URL) return { format: 'module', source: (source ??= swapSource()), shortCircuit: true };
        return nextLoad(url, context);
      },
    });
  } else if (typeof Module.register === 'function') {
    // Node 20.6 to 22.14: asynchronous hooks, in a thread of their own.
    Module.register(pathToFileURL(path.join(__dirname, 'register-hooks.mjs')), {
      data: { own: OWN, url: SWAP_URL, source: swapSource() },
    });
  } else {
    process.emitWarning('fastnet/register: this Node has no module hooks (Node < 20.6): ESM imports of net keep core\'s',
      { code: 'FASTNET_REGISTER_NO_HOOKS' });
  }
}

// Once per thread, whoever loads it first (-r and --import together, or two copies of fastnet). Node also runs
// preload modules in module.register's hooks thread (neither the main thread nor a worker with a parentPort):
// nothing to swap there.
if (!Module[kRegistered] && (isMainThread || parentPort)) {
  Module[kRegistered] = INDEX;
  register();
}
