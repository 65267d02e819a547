'use strict';
// Scenario 2: ping-pong latency. One connection; the client sends a 64-byte message, the server echoes
// it, the client sends the next once the whole echo is back. Round trips/s and p50/p99 latency.

const { listen, connect, window, percentile } = require('../net-util.js');

const LEN = 64;
const MAX_SAMPLES = 1 << 23;

module.exports = {
  name: 'pingpong',
  title: 'Ping-pong, one connection, 64 B messages',

  cases(mode) {
    const dur = { full: 3, quick: 1, smoke: 0.2 }[mode];
    const warm = mode === 'smoke' ? 0.05 : 0.3;
    return [{
      id: 'pingpong 64 B',
      params: { dur, warm, len: LEN },
      limit: { mode: 'pingpong', len: LEN, dur, warm },
      metrics: [
        { key: 'rate', label: 'round trips/s', better: 'higher' },
        { key: 'p50', label: 'p50 latency µs', better: 'lower' },
        { key: 'p99', label: 'p99 latency µs', better: 'lower' },
      ],
    }];
  },

  async child(net, { dur, warm, len }) {
    const server = net.createServer((s) => {
      s.setNoDelay(true);
      s.on('data', (d) => s.write(d));
    });
    const socket = await connect(net, await listen(server));
    socket.setNoDelay(true);

    const msg = Buffer.alloc(len, 'x');
    const samples = new Float64Array(MAX_SAMPLES);
    let n = 0;
    let count = 0;
    let got = 0;
    let measuring = false;
    let sentAt;
    const send = () => {
      sentAt = process.hrtime.bigint();
      socket.write(msg);
    };
    socket.on('data', (d) => {
      got += d.length;
      if (got < len) return;
      got = 0;
      if (measuring) {
        count++;
        if (n < MAX_SAMPLES) samples[n++] = Number(process.hrtime.bigint() - sentAt) / 1e3;
      }
      send();
    });
    send();
    const secs = await window({ warm, dur }, () => { measuring = true; });
    measuring = false;
    return { rate: count / secs, p50: percentile(samples, n, 50), p99: percentile(samples, n, 99) };
  },
};
