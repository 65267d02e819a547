'use strict';
// Scenario 3: many connections. 1,000 clients, each sending a 1 KiB message and waiting for its echo
// before sending the next, all at once for a fixed time: messages echoed per second.

const { listen, connectMany, window } = require('../net-util.js');

module.exports = {
  name: 'many',
  title: '1,000 concurrent connections echoing 1 KiB messages',

  cases(mode) {
    const dur = { full: 3, quick: 1, smoke: 0.2 }[mode];
    const clients = mode === 'smoke' ? 50 : 1000;
    return [{
      id: `many ${clients} conns 1 KiB`,
      params: { dur, warm: mode === 'smoke' ? 0.05 : 0.3, clients, len: 1024 },
      metrics: [{ key: 'rate', label: 'messages/s', better: 'higher' }],
    }];
  },

  async child(net, { dur, warm, clients, len }) {
    const server = net.createServer((s) => s.on('data', (d) => s.write(d)));
    const sockets = await connectMany(net, await listen(server, 2048), clients);

    const msg = Buffer.alloc(len, 'x');
    let count = 0;
    for (const socket of sockets) {
      let got = 0;
      socket.on('data', (d) => {
        got += d.length;
        if (got < len) return;
        got = 0;
        count++;
        socket.write(msg);
      });
      socket.write(msg);
    }
    const secs = await window({ warm, dur }, () => { count = 0; });
    return { rate: count / secs };
  },
};
