'use strict';
// Scenario: an app keeps every chunk it reads, and its RSS grows about as much as core's would.
//  - 100 MiB arriving as 17 KiB reads: a read is copied out of the block it landed in unless it fills more
//    than half of it, so no held 17 KiB chunk keeps a 64 KiB block alive.
//  - 100 MiB sent in 1 MiB writes as fast as the loop takes them: reads fill their blocks, and once the
//    kernel holds over 512 KiB for the socket each read fills a 256 KiB block, which JS takes whole. Every byte is checked too: a block must never be written again once JS has it.
//    The same over a Unix socket, whose reads go through the same code (its backlogs stay smaller here).

const test = require('node:test');
const assert = require('node:assert');
const { FASTNET, runChild, tmpSocketPath } = require('./helpers');

const TOTAL = 100 * 2 ** 20;
const CHUNK = 17 * 1024;

async function rssGrowth(impl, mode, unixPath) {
  const child = await runChild(`
    const net = require(${JSON.stringify(impl)});
    const core = require('net');
    const held = [];
    let midSized = 0;
    const flood = ${JSON.stringify(mode)} === 'flood';
    const chunk = Buffer.alloc(flood ? 2 ** 20 : ${CHUNK});
    for (let i = 0; i < chunk.length; i++) chunk[i] = i % 251;
    const server = core.createServer((s) => {   // the sender: one write per loop turn, or as fast as it drains
      let sent = 0;
      (function next() {
        while (sent < ${TOTAL}) {
          sent += chunk.length;
          if (!flood) return s.write(chunk, () => setImmediate(next));
          if (!s.write(chunk)) return s.once('drain', next);
        }
        s.end();
      })();
    });
    const unixPath = ${JSON.stringify(unixPath ?? null)};
    server.listen(...(unixPath ? [unixPath] : [0, '127.0.0.1']), () => {
      global.gc();
      const before = process.memoryUsage().rss;
      const c = unixPath ? net.connect(unixPath) : net.connect(server.address().port, '127.0.0.1');
      c.on('data', (d) => { held.push(d); if (d.length > 16384 && d.length < 65536) midSized++; });
      c.on('end', () => {
        global.gc();
        const growth = process.memoryUsage().rss - before;
        const bytes = held.reduce((n, d) => n + d.length, 0);
        const all = Buffer.concat(held);
        let intact = all.length === Math.ceil(${TOTAL} / chunk.length) * chunk.length;
        for (let o = 0; intact && o < all.length; o += chunk.length) intact = all.subarray(o, o + chunk.length).equals(chunk);
        console.log(JSON.stringify({ growth, bytes, midSized, intact, chunks: held.length }));
        c.destroy();
        server.close();
      });
    });`, { timeout: 60000, env: { NODE_OPTIONS: '--expose-gc' } });
  assert.strictEqual(child.code, 0, child.stderr);
  return JSON.parse(child.stdout);
}

test('holding 100 MiB of 17 KiB reads costs about what core does', { timeout: 120000 }, async () => {
  const core = await rssGrowth('net', 'paced');
  const fast = await rssGrowth(FASTNET, 'paced');
  assert.ok(fast.bytes >= TOTAL && core.bytes >= TOTAL);
  assert.ok(fast.intact && core.intact);
  assert.ok(fast.midSized > fast.bytes / 65536, `most reads are between 16 and 64 KiB (${fast.midSized})`);
  const limit = core.growth * 1.1 + 4 * 2 ** 20;
  assert.ok(fast.growth <= limit,
            `fastnet RSS grew ${(fast.growth / 2 ** 20).toFixed(1)} MiB, core ${(core.growth / 2 ** 20).toFixed(1)} MiB`);
});

test('holding 100 MiB of a flood costs about what core does, and it arrives intact', { timeout: 120000 }, async () => {
  const core = await rssGrowth('net', 'flood');
  const fast = await rssGrowth(FASTNET, 'flood');
  assert.ok(core.intact, 'core');
  assert.ok(fast.intact, `fastnet: ${fast.bytes} bytes in ${fast.chunks} chunks, not as sent`);
  const limit = core.growth * 1.1 + 4 * 2 ** 20;
  assert.ok(fast.growth <= limit,
            `fastnet RSS grew ${(fast.growth / 2 ** 20).toFixed(1)} MiB, core ${(core.growth / 2 ** 20).toFixed(1)} MiB`);
});

test('a flood over a Unix socket arrives intact and costs about what core does', { timeout: 120000 }, async () => {
  const core = await rssGrowth('net', 'flood', tmpSocketPath('held-core'));
  const fast = await rssGrowth(FASTNET, 'flood', tmpSocketPath('held-fast'));
  assert.ok(core.intact, 'core');
  assert.ok(fast.intact, `fastnet: ${fast.bytes} bytes in ${fast.chunks} chunks, not as sent`);
  const limit = core.growth * 1.1 + 4 * 2 ** 20;
  assert.ok(fast.growth <= limit,
            `fastnet RSS grew ${(fast.growth / 2 ** 20).toFixed(1)} MiB, core ${(core.growth / 2 ** 20).toFixed(1)} MiB`);
});
