'use strict';
// The diagnostics_channel names core net publishes on, so APM tools see fastnet sockets too.
const dc = require('diagnostics_channel');

const channels = {
  clientSocket: dc.channel('net.client.socket'),
  serverSocket: dc.channel('net.server.socket'),
  serverListen: dc.tracingChannel('net.server.listen'),
};

module.exports = { channels };
