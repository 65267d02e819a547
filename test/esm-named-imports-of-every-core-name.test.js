'use strict';
// Scenario: `import { createServer, connect, Socket } from 'fastnet'` works: every name core net exports on
// the running Node is a named ESM export of fastnet (Node detects the names of a CommonJS module by reading
// its source, and stopped at `BlockList: core.BlockList`). The import list is made from core's keys now.

const test = require('node:test');
const assert = require('node:assert');
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const coreNet = require('node:net');
const { FASTNET } = require('./helpers');

test('an .mjs importing every core net name from fastnet by name', { timeout: 15000 }, async () => {
  const names = Object.keys(coreNet);
  const file = path.join(os.tmpdir(), `fastnet-esm-${process.pid}.mjs`);
  fs.writeFileSync(file, `
import { ${names.join(', ')} } from ${JSON.stringify(pathToFileURL(path.join(FASTNET, 'lib/index.js')).href)};
import fastnet from ${JSON.stringify(pathToFileURL(path.join(FASTNET, 'lib/index.js')).href)};
const values = { ${names.join(', ')} };
const same = Object.keys(values).filter((k) => values[k] === fastnet[k]);
console.log(JSON.stringify(same));
`);
  try {
    const { stdout, stderr, code } = await new Promise((resolve) => {
      execFile(process.execPath, [file], { timeout: 10000 }, (err, stdout, stderr) =>
        resolve({ code: err ? err.code : 0, stdout, stderr }));
    });
    assert.strictEqual(code, 0, stderr);
    assert.deepStrictEqual(JSON.parse(stdout), names);
  } finally {
    fs.rmSync(file, { force: true });
  }
});
