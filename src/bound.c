/* net.BoundSocket's machinery: a descriptor created and bound synchronously (TCP or Unix socket), owned by the
 * env's list of bound descriptors until a native Socket or Server adopts it, JS closes it, or the env ends.
 * Also SO_REUSEPORT for a TCP handle's own bind (libuv 1.46 has no flag for it). */
#include "handle.h"
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define FN_UV_1_48 0x013000   /* uv_version() of libuv 1.48.0 */
#define FN_UV_1_49 0x013100

struct fn_bound_s {
  int fd;
  uint8_t type;                 /* FN_TCP or FN_PIPE */
  char* unlink_path;            /* a Unix socket bound to a file: removed when the descriptor is closed */
  struct fn_bound_s* next;
};

static int fn_bound__errno(void) {
  return uv_translate_sys_error(errno);
}

/* Where the entry for fd is linked (so it can be unlinked), or NULL if fd is not an unadopted bound socket. */
static fn_bound_t** fn_bound__find(fn_env_t* fenv, int fd) {
  for (fn_bound_t** at = &fenv->bound; *at; at = &(*at)->next) {
    if ((*at)->fd == fd) return at;
  }
  return NULL;
}

/* Takes ownership of fd (and path); returns 0, or UV_ENOMEM having closed both. */
static int fn_bound__add(fn_env_t* fenv, int fd, uint8_t type, char* unlink_path) {
  fn_bound_t* b = malloc(sizeof(*b));
  if (b == NULL) {
    if (unlink_path) unlink(unlink_path);
    free(unlink_path);
    close(fd);
    return UV_ENOMEM;
  }
  b->fd = fd;
  b->type = type;
  b->unlink_path = unlink_path;
  b->next = fenv->bound;
  fenv->bound = b;
  return 0;
}

static void fn_bound__close(fn_bound_t* b) {
  if (b->unlink_path) unlink(b->unlink_path);
  free(b->unlink_path);
  close(b->fd);
  free(b);
}

/* Env teardown: what was never adopted nor closed is closed now (a socket file is removed, as libuv removes
 * that of a pipe handle closed at exit). */
void fn_bound_close_all(fn_env_t* fenv) {
  while (fenv->bound) {
    fn_bound_t* b = fenv->bound;
    fenv->bound = b->next;
    fn_bound__close(b);
  }
}

/* bindTcp(ip, port, isIPv6, ipv6Only, reusePort, out): a TCP socket bound now; fills out.{address, family,
 * port} (port 0 resolved) and returns its descriptor, or a negative uv error. Unlike uv_tcp_bind, a port in
 * use is reported here (EADDRINUSE), not at listen or connect. */
napi_value fn_bound_bind_tcp(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  fn_env_t* fenv;
  napi_valuetype out_type = napi_undefined;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI_CALL(env, napi_get_instance_data(env, (void**)&fenv));
  if (argc < 6) return fn_int(env, UV_EINVAL);
  NAPI_CALL(env, napi_typeof(env, argv[5], &out_type));
  if (out_type != napi_object) return fn_int(env, UV_EINVAL);
  bool v6 = false, v6only = false, reuse_port = false;
  napi_get_value_bool(env, argv[2], &v6);
  napi_get_value_bool(env, argv[3], &v6only);
  napi_get_value_bool(env, argv[4], &reuse_port);
  struct sockaddr_storage addr;
  int err = fn_sockaddr_from_js(env, argv[0], argv[1], v6, &addr);
  if (err) return fn_int(env, err);

  int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return fn_int(env, fn_bound__errno());
  int on = 1, v6only_value = v6only ? 1 : 0;
  /* as libuv's bind: SO_REUSEADDR (two binds that are not listening may share a port), IPV6_V6ONLY either way
   * on IPv6 (ipv6Only means nothing to an IPv4 bind: core's binds it all the same) */
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
      (v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only_value, sizeof(v6only_value)) != 0) ||
      (reuse_port && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) != 0)) {
    err = fn_bound__errno();
    goto fail;
  }
  socklen_t len = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
  if (bind(fd, (struct sockaddr*)&addr, len) != 0) {
    err = errno == EAFNOSUPPORT ? UV_EINVAL : fn_bound__errno();  /* as uv_tcp_bind */
    goto fail;
  }
  len = sizeof(addr);
  if (getsockname(fd, (struct sockaddr*)&addr, &len) != 0) {
    err = fn_bound__errno();
    goto fail;
  }
  err = fn_sockaddr_to_js(env, (struct sockaddr*)&addr, argv[5]);
  if (err) goto fail;
  err = fn_bound__add(fenv, fd, FN_TCP, NULL);
  return fn_int(env, err ? err : fd);

fail:
  close(fd);
  return fn_int(env, err);
}

/* bindPipe(path): a Unix socket bound now to path (a leading NUL: Linux's abstract namespace); returns its
 * descriptor or a negative uv error. As uv_pipe_bind2 with UV_PIPE_NO_TRUNCATE: a path that does not fit is
 * EINVAL, a missing directory EACCES. */
napi_value fn_bound_bind_pipe(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  fn_env_t* fenv;
  char path[4096];
  size_t len = 0;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI_CALL(env, napi_get_instance_data(env, (void**)&fenv));
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], path, sizeof(path), &len) != napi_ok) {
    return fn_int(env, UV_EINVAL);
  }
  struct sockaddr_un sa;
  memset(&sa, 0, sizeof(sa));
  sa.sun_family = AF_UNIX;
  /* Abstract names as the running Node's libuv connects to them (its listen and connect too): 1.48+ gives the
   * kernel the name's own length; before, the whole sun_path, NUL-padded (a different name to the kernel). An
   * empty path binds a name the kernel chooses (autobind) from 1.49 on; before, libuv refused it. */
  unsigned int uv = uv_version();
  bool abstract = len == 0 || path[0] == '\0';
  if (len >= sizeof(path) - 1 || len > sizeof(sa.sun_path) || (len == 0 && uv < FN_UV_1_49) ||
      (!abstract && (len == sizeof(sa.sun_path) || memchr(path, '\0', len) != NULL))) {
    return fn_int(env, UV_EINVAL);
  }
  memcpy(sa.sun_path, path, len);
  socklen_t salen = (socklen_t)sizeof(sa);
  if (abstract && uv >= FN_UV_1_48) salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);

  char* unlink_path = NULL;
  if (!abstract && (unlink_path = strdup(path)) == NULL) return fn_int(env, UV_ENOMEM);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    int err = fn_bound__errno();
    free(unlink_path);
    return fn_int(env, err);
  }
  if (bind(fd, (struct sockaddr*)&sa, salen) != 0) {
    int err = errno == ENOENT ? UV_EACCES : fn_bound__errno();  /* as libuv, for Windows' sake */
    close(fd);
    free(unlink_path);
    return fn_int(env, err);
  }
  int err = fn_bound__add(fenv, fd, FN_PIPE, unlink_path);
  return fn_int(env, err ? err : fd);
}

/* Takes the unadopted bound descriptor named by the call's first argument off this env's list; NULL if the
 * argument names none (then the caller answers EBADF). */
static fn_bound_t* fn_bound__take(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  fn_env_t* fenv;
  int32_t fd = -1;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  if (napi_get_instance_data(env, (void**)&fenv) != napi_ok) return NULL;
  if (argc < 1 || napi_get_value_int32(env, argv[0], &fd) != napi_ok) return NULL;
  fn_bound_t** at = fn_bound__find(fenv, fd);
  if (at == NULL) return NULL;
  fn_bound_t* b = *at;
  *at = b->next;
  return b;
}

/* closeBound(fd): closes an unadopted bound descriptor (removing its socket file); EBADF for any other fd. */
napi_value fn_bound_close(napi_env env, napi_callback_info info) {
  fn_bound_t* b = fn_bound__take(env, info);
  if (b == NULL) return fn_int(env, UV_EBADF);
  fn_bound__close(b);
  return fn_int(env, 0);
}

/* detachBound(fd): takes an unadopted bound descriptor off this env's list, neither closed nor its file removed:
 * a worker transfer hands it to another env, which attachBound()s it. Returns 0, or EBADF for any other fd. */
napi_value fn_bound_detach(napi_env env, napi_callback_info info) {
  fn_bound_t* b = fn_bound__take(env, info);
  if (b == NULL) return fn_int(env, UV_EBADF);
  free(b->unlink_path);
  free(b);
  return fn_int(env, 0);
}

/* attachBound(fd, isPipe[, path]): puts a descriptor another env detached on this env's list (closed at
 * teardown or by closeBound, path removed then). Returns 0; EBADF if fd is not a stream socket of that kind
 * (TCP: IPv4 or IPv6; pipe: Unix); EEXIST if it is on the list already. */
napi_value fn_bound_attach(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  fn_env_t* fenv;
  int32_t fd = -1;
  bool is_pipe = false;
  char path[4096];
  size_t len = 0;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI_CALL(env, napi_get_instance_data(env, (void**)&fenv));
  if (argc < 2 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) return fn_int(env, UV_EBADF);
  napi_get_value_bool(env, argv[1], &is_pipe);
  bool has_path = argc > 2 && napi_get_value_string_utf8(env, argv[2], path, sizeof(path), &len) == napi_ok &&
                  len > 0 && path[0] != '\0' && len < sizeof(path) - 1;
  int type = -1;
  socklen_t optlen = sizeof(type);
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &optlen) != 0) return fn_int(env, fn_bound__errno());
  struct sockaddr_storage addr;
  socklen_t addrlen = sizeof(addr);
  if (getsockname(fd, (struct sockaddr*)&addr, &addrlen) != 0) return fn_int(env, fn_bound__errno());
  int domain = addr.ss_family;
  bool fits = type == SOCK_STREAM && (is_pipe ? domain == AF_UNIX : (domain == AF_INET || domain == AF_INET6));
  if (!fits) return fn_int(env, UV_EBADF);
  if (fn_bound__find(fenv, fd) != NULL) return fn_int(env, UV_EEXIST);
  char* unlink_path = NULL;
  if (is_pipe && has_path && (unlink_path = strdup(path)) == NULL) return fn_int(env, UV_ENOMEM);
  fn_bound_t* b = malloc(sizeof(*b));
  if (b == NULL) {
    free(unlink_path);
    return fn_int(env, UV_ENOMEM);
  }
  b->fd = fd;
  b->type = is_pipe ? FN_PIPE : FN_TCP;
  b->unlink_path = unlink_path;
  b->next = fenv->bound;
  fenv->bound = b;
  return fn_int(env, 0);
}

/* handle.adoptBound(fd): opens an unadopted bound descriptor of the handle's type in this (fresh) handle, which
 * then owns it, and the removal of its socket file on close. Returns 0 or a uv error (the descriptor then stays
 * on the list). */
napi_value fn_bound_adopt(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd = -1;
  fn_handle_t* h = fn_handle_from(env, info, &argc, argv);
  if (h == NULL) return NULL;
  if (argc < 1 || napi_get_value_int32(env, argv[0], &fd) != napi_ok) return fn_int(env, UV_EBADF);
  if (h->state != FN_OPEN) return fn_int(env, UV_EBADF);
  fn_bound_t** at = fn_bound__find(h->fenv, fd);
  if (at == NULL) return fn_int(env, UV_EBADF);
  fn_bound_t* b = *at;
  if (b->type != h->type || (h->rare && h->rare->unlink_path != NULL)) return fn_int(env, UV_EINVAL);
  if (b->unlink_path && fn_handle_rare(h) == NULL) return fn_int(env, UV_ENOMEM);
  int err = h->type == FN_TCP ? uv_tcp_open(&h->uv.tcp, fd) : uv_pipe_open(&h->uv.pipe, fd);
  if (err) return fn_int(env, err);
  if (b->unlink_path) h->rare->unlink_path = b->unlink_path;
  *at = b->next;
  free(b);
  return fn_int(env, 0);
}

/* Sets SO_REUSEPORT on a TCP handle before its bind, creating its socket (of the bind address's family) if it
 * has none yet: uv_tcp_bind then binds that socket. Returns 0 or a uv error. */
int fn_tcp_reuse_port(fn_handle_t* h, int family) {
  uv_os_fd_t fd;
  int on = 1;
  bool made = false;
  if (h->type != FN_TCP) return UV_EINVAL;
  if (uv_fileno(&h->uv.handle, &fd) != 0) {
    fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return errno == EAFNOSUPPORT ? UV_EINVAL : fn_bound__errno();
    made = true;
  }
  int err = 0;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) != 0) err = fn_bound__errno();
  else if (made) err = uv_tcp_open(&h->uv.tcp, fd);
  if (err && made) close(fd);
  return err;
}
