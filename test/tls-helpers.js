'use strict';
// TLS over a `net` implementation, for the tests that compare fastnet under core's tls with core net under it.
// The key and self-signed certificate in fixtures/ were made for these tests (EC P-256, CN=localhost).

const tls = require('node:tls');
const fs = require('node:fs');
const path = require('node:path');
const { track, listen, once } = require('./helpers');

const key = fs.readFileSync(path.join(__dirname, 'fixtures', 'tls-key.pem'));
const cert = fs.readFileSync(path.join(__dirname, 'fixtures', 'tls-cert.pem'));

// Appends `name:event` to log for each of events emitted by s (errors with their code, 'close' with hadError).
function record(log, name, s, events) {
  for (const e of events) {
    s.on(e, (x) => log.push(`${name}:${e}${e === 'error' ? ` ${x.code}` : e === 'close' ? ` ${x}` : ''}`));
  }
}

// A TLS connection whose one side runs over a socket of `net` (core's or fastnet's) and whose peer is core's TLS.
// side 'server': a `net` server's accepted socket goes to a tls.Server (emit('connection')), the peer is
// tls.connect(); side 'client': tls.connect({ socket }) over a `net` client socket, the peer a tls.Server.
// Resolves with { tls, raw, peer } once both ends are secure, raw being the `net` socket under tls.
async function tlsOver(t, net, side) {
  if (side === 'server') {
    const tlsServer = tls.createServer({ key, cert });
    const server = track(t, net.createServer((raw) => tlsServer.emit('connection', raw)));
    const { port } = await listen(server, 0, '127.0.0.1');
    const secured = once(tlsServer, 'secureConnection', 5000, false);
    const raw = once(server, 'connection', 5000, false);
    const peer = track(t, tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false }));
    await once(peer, 'secureConnect');
    return { tls: track(t, (await secured)[0]), raw: (await raw)[0], peer, server };
  }
  const server = track(t, tls.createServer({ key, cert }));
  const { port } = await listen(server, 0, '127.0.0.1');
  const secured = once(server, 'secureConnection', 5000, false);
  const raw = track(t, net.connect(port, '127.0.0.1'));
  const socket = track(t, tls.connect({ socket: raw, rejectUnauthorized: false }));
  await once(socket, 'secureConnect');
  return { tls: socket, raw, peer: track(t, (await secured)[0]), server };
}

module.exports = { key, cert, record, tlsOver };
