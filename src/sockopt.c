/* Socket options that libuv 1.46 (Node 20's) does not set for us: keep-alive probe interval and count
 * (TCP_KEEPINTVL, TCP_KEEPCNT), type of service (IP_TOS, IPV6_TCLASS); and socketOptions(fd), which reads
 * them back from any descriptor, for tests that compare fastnet's sockets with core's. */
#include "handle.h"
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

/* The descriptor of an open TCP socket handle, or a negative uv error. */
static int fn_sockopt__tcp_fd(fn_handle_t* h) {
  uv_os_fd_t fd;
  if (h->state != FN_OPEN || h->type != FN_TCP) return UV_EBADF;
  if (uv_fileno(&h->uv.handle, &fd) != 0) return UV_EBADF;
  return fd;
}

static int fn_sockopt__set_int(int fd, int level, int name, int value) {
  if (setsockopt(fd, level, name, &value, sizeof(value)) != 0) return uv_translate_sys_error(errno);
  return 0;
}

/* Argument i as an unsigned 32-bit integer (a whole number in [0, 2^32)), else `fallback`, as core's
 * TCPWrap reads them (IsUint32: a fraction, a negative number, a string or undefined is not one). */
static uint32_t fn_sockopt__uint32_arg(napi_env env, size_t argc, napi_value* argv, size_t i, uint32_t fallback) {
  double v;
  if (i >= argc || napi_get_value_double(env, argv[i], &v) != napi_ok) return fallback;
  if (!(v >= 0 && v <= 4294967295.0) || v != (double)(uint32_t)v) return fallback;
  return (uint32_t)v;
}

/* setKeepAlive(enable, idleSeconds[, intervalSeconds][, count]), as libuv's uv_tcp_keepalive_ex (1.48+) does
 * it for core: SO_KEEPALIVE; when enabling, TCP_KEEPIDLE, TCP_KEEPINTVL (default 1 s) and TCP_KEEPCNT (default
 * 10) in that order, stopping at the first the kernel refuses. Any of the three below 1 is EINVAL and leaves
 * all three as they were (so `setKeepAlive(true)` keeps the system's idle time). Returns 0 or a uv error; a
 * Unix socket, or a TCP handle without a descriptor yet, does nothing (JS applies it once connected). */
napi_value fn_sockopt_set_keep_alive(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  fn_handle_t* h = fn_handle_from(env, info, &argc, argv);
  if (h == NULL) return NULL;
  bool enable = false;
  if (argc > 0) napi_get_value_bool(env, argv[0], &enable);
  uint32_t idle = fn_sockopt__uint32_arg(env, argc, argv, 1, 0);
  uint32_t interval = fn_sockopt__uint32_arg(env, argc, argv, 2, 1);
  uint32_t count = fn_sockopt__uint32_arg(env, argc, argv, 3, 10);
  int fd = fn_sockopt__tcp_fd(h);
  if (fd < 0) return fn_int(env, 0);
  int err = fn_sockopt__set_int(fd, SOL_SOCKET, SO_KEEPALIVE, enable ? 1 : 0);
  if (err || !enable) return fn_int(env, err);
  if (idle < 1 || interval < 1 || count < 1) return fn_int(env, UV_EINVAL);
  /* the kernel takes an int: a value above INT_MAX becomes negative there, and is refused as too big */
  err = fn_sockopt__set_int(fd, IPPROTO_TCP, TCP_KEEPIDLE, (int)idle);
  if (err == 0) err = fn_sockopt__set_int(fd, IPPROTO_TCP, TCP_KEEPINTVL, (int)interval);
  if (err == 0) err = fn_sockopt__set_int(fd, IPPROTO_TCP, TCP_KEEPCNT, (int)count);
  return fn_int(env, err);
}

/* The socket's address family (AF_INET, AF_INET6), or a negative uv error. */
static int fn_sockopt__family(int fd) {
  struct sockaddr_storage addr;
  socklen_t len = sizeof(addr);
  if (getsockname(fd, (struct sockaddr*)&addr, &len) != 0) return uv_translate_sys_error(errno);
  return addr.ss_family;
}

/* setTypeOfService(tos): IP_TOS on an IPv4 socket, IPV6_TCLASS on an IPv6 one (an IPv4-mapped peer
 * included), as core does. Returns 0 or a uv error (EBADF while there is no descriptor yet). */
napi_value fn_sockopt_set_type_of_service(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  fn_handle_t* h = fn_handle_from(env, info, &argc, argv);
  if (h == NULL) return NULL;
  int32_t tos = 0;
  if (argc < 1 || napi_get_value_int32(env, argv[0], &tos) != napi_ok) return fn_int(env, UV_EINVAL);
  if (tos < 0 || tos > 255) return fn_int(env, UV_EINVAL);
  int fd = fn_sockopt__tcp_fd(h);
  if (fd < 0) return fn_int(env, fd);
  int family = fn_sockopt__family(fd);
  if (family < 0) return fn_int(env, family);
  if (family == AF_INET6) return fn_int(env, fn_sockopt__set_int(fd, IPPROTO_IPV6, IPV6_TCLASS, tos));
  return fn_int(env, fn_sockopt__set_int(fd, IPPROTO_IP, IP_TOS, tos));
}

/* getTypeOfService(): IPV6_TCLASS of an IPv6 socket, IP_TOS of an IPv4 one; or a negative uv error. */
napi_value fn_sockopt_get_type_of_service(napi_env env, napi_callback_info info) {
  fn_handle_t* h = fn_handle_from(env, info, NULL, NULL);
  if (h == NULL) return NULL;
  int fd = fn_sockopt__tcp_fd(h);
  if (fd < 0) return fn_int(env, fd);
  int family = fn_sockopt__family(fd);
  if (family < 0) return fn_int(env, family);
  int value = 0;
  socklen_t len = sizeof(value);
  int rc = family == AF_INET6 ? getsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &value, &len)
                              : getsockopt(fd, IPPROTO_IP, IP_TOS, &value, &len);
  if (rc != 0) return fn_int(env, uv_translate_sys_error(errno));
  return fn_int(env, value & 0xff);
}

/* Sets out[name] to the option's value (-1 if the descriptor has no such option). */
static napi_status fn_sockopt__report(napi_env env, napi_value out, const char* name, int fd, int level, int opt) {
  int value = 0;
  socklen_t len = sizeof(value);
  if (getsockopt(fd, level, opt, &value, &len) != 0) value = -1;
  return napi_set_named_property(env, out, name, fn_int(env, value));
}

/* socketOptions(fd): what the kernel holds for a socket descriptor (fastnet's or core's, so tests can compare):
 * { keepAlive, keepIdle, keepInterval, keepCount, tos, trafficClass, reuseAddr, reusePort, ipv6Only }, each
 * -1 where it does not apply; or a negative uv error (EBADF, ENOTSOCK). Reads only. */
napi_value fn_sockopt_socket_options(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], out;
  int32_t fd = -1;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) return fn_int(env, UV_EBADF);
  int type = 0;
  socklen_t len = sizeof(type);
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0) return fn_int(env, uv_translate_sys_error(errno));
  NAPI_CALL(env, napi_create_object(env, &out));
  NAPI_CALL(env, fn_sockopt__report(env, out, "keepAlive", fd, SOL_SOCKET, SO_KEEPALIVE));
  NAPI_CALL(env, fn_sockopt__report(env, out, "keepIdle", fd, IPPROTO_TCP, TCP_KEEPIDLE));
  NAPI_CALL(env, fn_sockopt__report(env, out, "keepInterval", fd, IPPROTO_TCP, TCP_KEEPINTVL));
  NAPI_CALL(env, fn_sockopt__report(env, out, "keepCount", fd, IPPROTO_TCP, TCP_KEEPCNT));
  NAPI_CALL(env, fn_sockopt__report(env, out, "tos", fd, IPPROTO_IP, IP_TOS));
  NAPI_CALL(env, fn_sockopt__report(env, out, "trafficClass", fd, IPPROTO_IPV6, IPV6_TCLASS));
  NAPI_CALL(env, fn_sockopt__report(env, out, "reuseAddr", fd, SOL_SOCKET, SO_REUSEADDR));
  NAPI_CALL(env, fn_sockopt__report(env, out, "reusePort", fd, SOL_SOCKET, SO_REUSEPORT));
  NAPI_CALL(env, fn_sockopt__report(env, out, "ipv6Only", fd, IPPROTO_IPV6, IPV6_V6ONLY));
  return out;
}
