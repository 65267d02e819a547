'use strict';
// Preload (node -r bench/swap-net.js): require('net') and require('node:net') return fastnet,
// except inside fastnet's own lib/. Node's benchmark/common.js forks with process.execArgv, so the
// swap follows into its child processes.

const Module = require('module');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const LIB = path.join(ROOT, 'lib') + path.sep;
const load = Module._load;

Module._load = function(request, parent, isMain) {
  if ((request === 'net' || request === 'node:net') && !parent?.filename?.startsWith(LIB))
    return load.call(this, ROOT, parent, isMain);
  return load.apply(this, arguments);
};
