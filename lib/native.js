'use strict';
// The native addon and what JS shares about its handles.
// FASTNET_ADDON: the absolute path of another build of the addon (npm run test:asan uses a sanitized one)
const binding = require(process.env.FASTNET_ADDON || '../build/Release/fastnet.node');

const kOwner = Symbol('fastnet.owner');     // handle -> the Socket or Server that owns it
const kOnClose = Symbol('fastnet.onclose'); // handle -> what to run once uv_close completes

// `reset` closes a TCP socket with RST instead of FIN.
function closeHandle(handle, callback, reset = false) {
  handle[kOnClose] = callback;
  if (reset) handle.reset();
  else handle.close();
}

function onclose() {
  const callback = this[kOnClose];
  this[kOnClose] = null;
  if (typeof callback === 'function') callback();
}

module.exports = { binding, kOwner, closeHandle, onclose };
