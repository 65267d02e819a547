'use strict';
// Swaps core `net` for fastnet in this process, for the Node tests run by test/node-suite/run.js.
//
// Loaded with `--require` through NODE_OPTIONS, so every child process a test spawns with
// process.execPath (child_process, fork, cluster) loads it too; worker threads run it as well.
//  - CommonJS: `require('net')` and `require('node:net')` return fastnet (the package at the repo root).
//  - ESM: `import net from 'node:net'` and `import('net')` are resolved to a module that re-exports
//    fastnet, by hooks registered with module.register (esm-hooks.mjs).
// fastnet's own files (lib/, build/, node_modules/ under the repo root) keep core net, so the package
// can build on it. Core modules (http, tls, ...) never go through Module._load and keep core net too.
// This file must stay silent and define no globals: Node's test/common checks both.

const Module = require('module');
const path = require('path');
const fs = require('fs');
const { pathToFileURL } = require('url');
const { isMainThread, parentPort } = require('worker_threads');

// module.register runs preload modules in its own hooks thread too: a thread that is neither the main
// thread nor a user worker (no parentPort). Nothing to swap there.
if (isMainThread || parentPort) {
  const root = fs.realpathSync(path.resolve(__dirname, '..', '..'));
  const own = ['lib', 'build', 'node_modules'].map((dir) => path.join(root, dir) + path.sep);
  const isOwn = (filename) => typeof filename === 'string' && own.some((dir) => filename.startsWith(dir));

  const load = Module._load;
  Module._load = function _load(request, parent, isMain) {
    if ((request === 'net' || request === 'node:net') && !isOwn(parent && parent.filename)) {
      return load.call(this, root, null, false);
    }
    return load.call(this, request, parent, isMain);
  };

  if (typeof Module.register === 'function') {
    Module.register(pathToFileURL(path.join(__dirname, 'esm-hooks.mjs')), {
      data: { root, own, requireFrom: __filename },
    });
  } else if (!process.env.FASTNET_SWAP_WARNED) {
    process.env.FASTNET_SWAP_WARNED = '1';
    process.emitWarning('module.register is missing (Node < 20.6): ESM imports of node:net keep core net');
  }
}
