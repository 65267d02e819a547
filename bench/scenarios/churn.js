'use strict';
// Scenario 4: connection churn. 50 clients, each in a loop: connect, write 64 bytes, read the echo,
// end, wait for 'close', start over. Completed connections per second.

const { HOST, listen, window } = require('../net-util.js');

module.exports = {
  name: 'churn',
  title: 'Connection churn, 50 clients: connect, 64 B echo, close',

  cases(mode) {
    const dur = { full: 3, quick: 1, smoke: 0.2 }[mode];
    return [{
      id: 'churn 50 clients',
      params: { dur, warm: mode === 'smoke' ? 0.05 : 0.3, clients: 50, len: 64 },
      metrics: [{ key: 'rate', label: 'connections/s', better: 'higher' }],
    }];
  },

  async child(net, { dur, warm, clients, len }) {
    const server = net.createServer((s) => s.on('data', (d) => s.write(d)));
    const port = await listen(server, 2048);
    const msg = Buffer.alloc(len, 'x');
    let count = 0;
    let stopped = false;
    let failure = null;

    const once = () => {
      const socket = net.connect(port, HOST);
      let got = 0;
      socket.on('connect', () => socket.write(msg));
      socket.on('data', (d) => {
        got += d.length;
        if (got >= len) socket.end();
      });
      socket.on('error', (err) => { failure ??= err; });
      socket.on('close', () => {
        if (got >= len) count++;
        if (!stopped && !failure) once();
      });
    };
    for (let i = 0; i < clients; i++) once();

    const secs = await window({ warm, dur }, () => { count = 0; });
    stopped = true;
    if (failure) throw failure;
    return { rate: count / secs };
  },
};
