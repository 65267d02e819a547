'use strict';
// The native addon and what JS shares about its handles.
// Which binary: FASTNET_ADDON (npm run test:asan's sanitized build), build/Release, or the prebuilt one for this
// platform (lib/load-addon.js, which also says what to run when none is there).
const binding = require('./load-addon').load();

const kOwner = Symbol('fastnet.owner');     // handle -> the Socket or Server that owns it
const { kId } = binding;                    // handle -> its id, by which the native side finds it
// handle -> { address, port, addressType, localAddress, localPort, attempt } of its pending connect (lib/connect.js)
const kConnectRequest = Symbol('kConnectRequest');

// A socket handle is an object of this class; the native side knows it by the id it gave it (newSocket), kept under
// [kId]: a store here, where defining the property from C cost ~2,400 instructions a handle. Every property a
// socket handle gets is made here, so that all of them, connecting or accepted, share one shape and the loads on
// them stay monomorphic. binding.Socket is this class, for the rest of lib/, and the native side makes accepted
// sockets with it.
class Socket {
  constructor(type = binding.TCP) {
    this[kId] = binding.newSocket(this, type);
    this[kOwner] = undefined;
    this.reading = false;
    this[kConnectRequest] = null;
  }
}
binding.Socket = Socket;
binding.setSocketClass(Socket);

// Its methods and getters call their native twins with the handle's id: read here, through an inline cache, the id
// costs a few instructions, where the native side would look it up on `this` for ~800 (src/handle.c). A `this`
// without a live socket's id gets the TypeError (ERR_INVALID_THIS) the twin throws.
for (const name of Object.keys(binding.socketGetters)) {
  const twin = binding.socketGetters[name];
  const getter = Object.getOwnPropertyDescriptor({
    get [name]() { return twin(this === null || this === undefined ? undefined : this[kId]); },
  }, name).get;
  Object.defineProperty(Socket.prototype, name, { get: getter, configurable: true });
}
for (const name of Object.keys(binding.socketMethods)) {
  const twin = binding.socketMethods[name];
  const method = {
    [name](a, b, c, d, e) {
      const id = this === null || this === undefined ? undefined : this[kId];
      switch (arguments.length) {   // the twin sees as many arguments as the method got
        case 0: return twin(id);
        case 1: return twin(id, a);
        case 2: return twin(id, a, b);
        case 3: return twin(id, a, b, c);
        case 4: return twin(id, a, b, c, d);
        default: return twin(id, a, b, c, d, e);
      }
    },
  }[name];
  Object.defineProperty(Socket.prototype, name, { value: method, writable: true, configurable: true });
}

// close(cb) calls cb once uv_close completed, as core's handles do (so this works on those too).
// `reset` closes a TCP socket with RST instead of FIN. Our sockets also put bytesRead and bytesWritten in
// `counts` (a Float64Array); core's handles ignore it.
function closeHandle(handle, callback, reset = false, counts = undefined) {
  if (reset) handle.reset(callback, counts);
  else handle.close(callback, counts);
}

module.exports = { binding, kOwner, kId, kConnectRequest, closeHandle };
