'use strict';
// net.BoundSocket (Node 24.19+, offered on every version): a socket created and bound synchronously, to a TCP
// address or a Unix socket path, that a Server adopts with listen(bound) or a Socket with new Socket({ handle })
// (then connect() uses it as the source).
//
// Until adopted it is only a descriptor (src/bound.c): no uv handle, owned by the env's list of bound
// descriptors, which closes it on close(), or when the env ends (process exit, worker exit). Adoption opens that
// descriptor in a native Server or Socket and takes it off the list; a Unix socket file is removed when whoever
// holds the descriptor closes it, as libuv removes the file of a pipe it bound.
// Like core's handle, an unadopted BoundSocket that is garbage collected keeps its descriptor until the env ends.
const { isIP } = require('net');
const { binding, closeHandle } = require('./native');
const {
  nodeError, ERR_INVALID_ARG_VALUE, errnoException, exceptionWithHostPort,
  validateObject, validatePort, validateBoolean, validateString,
} = require('./errors');

const isLinux = process.platform === 'linux';
const SymbolDispose = Symbol.dispose || Symbol.for('nodejs.dispose');

const ERR_SOCKET_HANDLE_ADOPTED = () => nodeError(Error, 'ERR_SOCKET_HANDLE_ADOPTED',
                                                  'The bound socket has already been adopted by a server or socket');

// Set on a Socket that adopted a BoundSocket: its connect() uses that source (no localAddress/localPort, no
// happy eyeballs, an IP literal is connected at once); kBoundPath is the source path of a Unix socket.
const kBoundSource = Symbol('kBoundSource');
const kBoundPath = Symbol('kBoundPath');

let consume;   // (bound) -> { fd, path, address }: hands the descriptor over, once
let attach;    // (fd, path, address) -> a BoundSocket over a descriptor already on this env's list
const kAttach = Symbol('kAttach');

class BoundSocket {
  #fd = -1;
  #address = null;
  #path = undefined;

  constructor(options = {}) {
    if (options === kAttach) return;   // attach() fills the fields
    validateObject(options, 'options');
    if (options.path !== undefined) {
      this.#bindPipe(options);
      return;
    }
    const port = validatePort(options.port ?? 0, 'options.port');
    const ipv6Only = options.ipv6Only ?? false;
    validateBoolean(ipv6Only, 'options.ipv6Only');
    const reusePort = options.reusePort ?? false;
    validateBoolean(reusePort, 'options.reusePort');
    let { host } = options;
    let addressType;
    if (host === undefined || host === null) {
      host = ipv6Only ? '::' : '0.0.0.0';
      addressType = ipv6Only ? 6 : 4;
    } else {
      validateString(host, 'options.host');
      addressType = isIP(host);
      if (addressType === 0) {
        throw ERR_INVALID_ARG_VALUE('options.host', host,
                                    'must be a numeric IP address; net.BoundSocket does not perform DNS resolution');
      }
    }
    const address = {};
    const fd = binding.bindTcp(host, port, addressType === 6, ipv6Only, reusePort, address);
    if (fd < 0) throw exceptionWithHostPort(fd, 'bind', host, port);
    this.#fd = fd;
    this.#address = address;
  }

  #bindPipe(options) {
    const { path, host, port, ipv6Only, reusePort } = options;
    if (host !== undefined || port !== undefined || ipv6Only !== undefined || reusePort !== undefined) {
      throw ERR_INVALID_ARG_VALUE('options', options, 'path is mutually exclusive with host, port, ipv6Only, and reusePort');
    }
    validateString(path, 'options.path');
    if (path[0] === '\0' && !isLinux) {
      throw ERR_INVALID_ARG_VALUE('options.path', path, 'abstract socket paths are only supported on Linux');
    }
    const fd = binding.bindPipe(path);
    if (fd < 0) throw errnoException(fd, 'bind');
    this.#fd = fd;
    this.#path = path;
  }

  // { address, family, port } for TCP (port 0 resolved), the path for a Unix socket
  address() {
    if (this.#fd < 0) throw ERR_SOCKET_HANDLE_ADOPTED();
    return this.#path ?? this.#address;
  }

  // The descriptor; it stays the BoundSocket's (the caller must not close it).
  fd() {
    if (this.#fd < 0) throw ERR_SOCKET_HANDLE_ADOPTED();
    return this.#fd;
  }

  close() {
    if (this.#fd < 0) throw ERR_SOCKET_HANDLE_ADOPTED();
    binding.closeBound(this.#fd);
    this.#fd = -1;
  }

  // `using bound = new net.BoundSocket()`: closes an unadopted socket, otherwise nothing.
  [SymbolDispose]() {
    if (this.#fd >= 0) {
      binding.closeBound(this.#fd);
      this.#fd = -1;
    }
  }

  // Its presence on the prototype tells that `path` is supported.
  get isPipe() {
    return this.#path !== undefined;
  }

  static {
    consume = (bound) => {
      if (bound.#fd < 0) throw ERR_SOCKET_HANDLE_ADOPTED();
      const fd = bound.#fd;
      bound.#fd = -1;
      return { fd, path: bound.#path, address: bound.#address };
    };
    attach = (fd, path, address) => {
      const bound = new BoundSocket(kAttach);
      bound.#fd = fd;
      bound.#path = path;
      bound.#address = address;
      return bound;
    };
  }
}

function isBoundSocket(value) {
  return value instanceof BoundSocket;
}

// Opens the descriptor in a new native handle of class `Native` (binding.Server or binding.Socket).
function adopt(bound, Native) {
  const { fd, path } = consume(bound);
  const handle = new Native(path !== undefined ? binding.PIPE : binding.TCP);
  const err = handle.adoptBound(fd);
  if (err) {
    closeHandle(handle);
    binding.closeBound(fd);
    throw errnoException(err, 'open');
  }
  return { handle, path };
}

// server.listen(bound) / listen({ handle: bound }): the native server handle (not yet listening), and the path
// of a Unix socket (undefined for TCP).
function adoptForServer(bound) {
  return adopt(bound, binding.Server);
}

// new Socket({ handle: bound }): the native socket handle, bound and not connected.
function adoptForSocket(socket, bound) {
  const { handle, path } = adopt(bound, binding.Socket);
  socket[kBoundSource] = true;
  if (path !== undefined) socket[kBoundPath] = path;
  return handle;
}

function isBoundSource(socket) {
  return socket[kBoundSource] === true;
}

// The source path of a Socket that adopted a Unix-socket BoundSocket (its localAddress), or undefined.
function boundPathOf(socket) {
  return socket[kBoundPath];
}

// Worker transfer (for lib/transfer.js): the sending env gives up the descriptor (the BoundSocket is consumed,
// as by an adoption) as a plain { fd, path, address } to post; the receiving env takes it onto its own list
// and gets a BoundSocket over it. Between the two the descriptor is nobody's: deliver it, or close it.
function detachForTransfer(bound) {
  const detached = consume(bound);
  const err = binding.detachBound(detached.fd);
  if (err) throw errnoException(err, 'detach');
  return detached;
}

function attachTransferred({ fd, path, address }) {
  const err = binding.attachBound(fd, path !== undefined, path);
  if (err) throw errnoException(err, 'attach');
  return attach(fd, path, path === undefined ? { ...address } : null);
}

module.exports = {
  BoundSocket, ERR_SOCKET_HANDLE_ADOPTED,
  isBoundSocket, adoptForServer, adoptForSocket, isBoundSource, boundPathOf,
  detachForTransfer, attachTransferred,
};
