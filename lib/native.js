'use strict';
// The native addon and what JS shares about its handles.
// FASTNET_ADDON: the absolute path of another build of the addon (npm run test:asan uses a sanitized one)
const binding = require(process.env.FASTNET_ADDON || '../build/Release/fastnet.node');

const kOwner = Symbol('fastnet.owner');     // handle -> the Socket or Server that owns it

// close(cb) calls cb once uv_close completed, as core's handles do (so this works on those too).
// `reset` closes a TCP socket with RST instead of FIN.
function closeHandle(handle, callback, reset = false) {
  if (reset) handle.reset(callback);
  else handle.close(callback);
}

module.exports = { binding, kOwner, closeHandle };
