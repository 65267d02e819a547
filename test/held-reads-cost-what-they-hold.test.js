'use strict';
// Scenario: an app keeps every chunk it reads (100 MiB arriving as 17 KiB reads). A read bigger than the
// 16 KiB copied ones hands its memory to the Buffer; that memory must be trimmed to what was read, as core's
// reads are, or each held 17 KiB chunk keeps a 64 KiB block alive. RSS growth is compared with core's.

const test = require('node:test');
const assert = require('node:assert');
const { FASTNET, runChild } = require('./helpers');

const TOTAL = 100 * 2 ** 20;
const CHUNK = 17 * 1024;

async function rssGrowth(impl) {
  const child = await runChild(`
    const net = require(${JSON.stringify(impl)});
    const core = require('net');
    const held = [];
    let midSized = 0;
    const server = core.createServer((s) => {   // the sender: one ${CHUNK}-byte write per loop turn
      const chunk = Buffer.alloc(${CHUNK}, 1);
      let sent = 0;
      (function next() {
        if (sent >= ${TOTAL}) return s.end();
        sent += chunk.length;
        s.write(chunk, () => setImmediate(next));
      })();
    });
    server.listen(0, '127.0.0.1', () => {
      global.gc();
      const before = process.memoryUsage().rss;
      const c = net.connect(server.address().port, '127.0.0.1');
      c.on('data', (d) => { held.push(d); if (d.length > 16384 && d.length < 65536) midSized++; });
      c.on('end', () => {
        global.gc();
        const growth = process.memoryUsage().rss - before;
        const bytes = held.reduce((n, d) => n + d.length, 0);
        console.log(JSON.stringify({ growth, bytes, midSized }));
        c.destroy();
        server.close();
      });
    });`, { timeout: 60000, env: { NODE_OPTIONS: '--expose-gc' } });
  assert.strictEqual(child.code, 0, child.stderr);
  return JSON.parse(child.stdout);
}

test('holding 100 MiB of 17 KiB reads costs about what core does', { timeout: 120000 }, async () => {
  const core = await rssGrowth('net');
  const fast = await rssGrowth(FASTNET);
  assert.ok(fast.bytes >= TOTAL && core.bytes >= TOTAL);
  assert.ok(fast.midSized > fast.bytes / 65536, `most reads are between 16 and 64 KiB (${fast.midSized})`);
  const limit = core.growth * 1.1 + 4 * 2 ** 20;
  assert.ok(fast.growth <= limit,
            `fastnet RSS grew ${(fast.growth / 2 ** 20).toFixed(1)} MiB, core ${(core.growth / 2 ** 20).toFixed(1)} MiB`);
});
