/* The native Socket: connect (TCP v4/v6 or path), open(fd), bind, options, names, reset, idle timeout. */
#include "handle.h"
#include <string.h>

static void fn_socket__on_connect(uv_connect_t* req, int status) {
  fn_handle_t* h = req->data;
  free(req);
  h->connecting = false;
  if (status == 0) fn_stream_touch(h);
  fn_call_js_status(h, FN_ONCONNECT, status);
}

/* connect(ip, port, isIPv6[, readAtOnce]) for TCP; connect(path) for a Unix socket. Returns a uv error, or 0;
 * or 1 when readAtOnce started reading along with the connect (see lib/connect.js). */
static napi_value fn_socket_connect(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  fn_handle_t* h = fn_handle_from(env, info, &argc, argv);
  if (h == NULL) return NULL;
  if (h->state != FN_OPEN) return fn_int(env, UV_EBADF);
  if (h->connecting) return fn_int(env, UV_EALREADY);
  uv_connect_t* req = malloc(sizeof(*req));
  if (req == NULL) return fn_int(env, UV_ENOMEM);
  req->data = h;
  int err;
  if (h->type == FN_PIPE) {
    char path[4096];
    size_t len;
    if (napi_get_value_string_utf8(env, argv[0], path, sizeof(path), &len) != napi_ok) {
      free(req);
      return NULL;
    }
    err = uv_pipe_connect2(req, &h->uv.pipe, path, len, 0, fn_socket__on_connect);
  } else {
    bool v6 = false;
    if (argc > 2) napi_get_value_bool(env, argv[2], &v6);
    struct sockaddr_storage addr;
    err = fn_sockaddr_from_js(env, argv[0], argv[1], v6, &addr);
    if (err == 0) err = uv_tcp_connect(req, &h->uv.tcp, (struct sockaddr*)&addr, fn_socket__on_connect);
  }
  if (err) {
    free(req);  /* no callback will come */
    return fn_int(env, err);
  }
  h->connecting = true;
  bool read_at_once = false;
  if (argc > 3) napi_get_value_bool(env, argv[3], &read_at_once);
  return fn_int(env, read_at_once && fn_stream_start_reading(h) == 0 ? 1 : 0);
}

static napi_value fn_socket_set_no_delay(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  fn_handle_t* h = fn_handle_from(env, info, &argc, argv);
  if (h == NULL) return NULL;
  bool enable = false;  /* only `true` enables, as core's handle reads it */
  if (argc > 0) napi_get_value_bool(env, argv[0], &enable);
  if (h->state != FN_OPEN || h->type != FN_TCP) return fn_int(env, 0);
  return fn_int(env, uv_tcp_nodelay(&h->uv.tcp, enable));
}

/* reset([cb[, counts]]): close with RST instead of FIN (TCP, as uv_tcp_close_reset does); a plain close for a
 * Unix socket. cb and counts as close()'s. */
static napi_value fn_socket_reset(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  fn_handle_t* h = fn_handle_from(env, info, &argc, argv);
  if (h == NULL) return NULL;
  if (argc > 1) fn_handle_report_counts(env, h, argv[1]);
  if (h->state != FN_OPEN) return fn_int(env, UV_EBADF);
  if (argc > 0 && !fn_handle_set_close_cb(h, argv[0])) return NULL;
  if (h->type != FN_TCP) {
    fn_handle_close(h);
    return fn_int(env, 0);
  }
  struct linger l = {1, 0};
  uv_os_fd_t fd;
  if (uv_fileno(&h->uv.handle, &fd) == 0) setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
  fn_handle_close(h);
  return fn_int(env, 0);
}

static napi_value fn_socket_bytes_read(napi_env env, napi_callback_info info) {
  fn_handle_t* h = fn_handle_from(env, info, NULL, NULL);
  if (h == NULL) return NULL;
  return fn_double(env, h->bytes_read);
}

static napi_value fn_socket_bytes_written(napi_env env, napi_callback_info info) {
  fn_handle_t* h = fn_handle_from(env, info, NULL, NULL);
  if (h == NULL) return NULL;
  return fn_double(env, h->bytes_written);
}

/* Idle timeout: the last activity time lives here, so reads and writes never touch a JS timer. */

/* The time of an activity: the clock read anew, as core's timer refresh does. The loop's time is when its
 * iteration began, and after a long stretch of JS that would date the activity back and fire the timeout early. */
static uint64_t fn_socket__now(uv_loop_t* loop) {
  uv_update_time(loop);
  return uv_now(loop);
}

static void fn_socket__on_timer(uv_timer_t* timer) {
  fn_handle_t* h = timer->data;
  fn_idle_timer_t* t = h->timer;
  if (h->state != FN_OPEN || t->timeout_ms == 0) return;
  uint64_t now = uv_now(h->fenv->loop);
  uint64_t idle = now > t->last_activity ? now - t->last_activity : 0;
  size_t queued = h->uv.stream.write_queue_size;
  if (queued > 0 && queued != t->last_write_queue_size) {
    t->last_write_queue_size = queued;
    idle = 0;
  }
  if (idle < t->timeout_ms) {
    uv_timer_start(&t->timer, fn_socket__on_timer, t->timeout_ms - idle, 0);
    return;
  }
  napi_env env = h->fenv->env;
  napi_handle_scope scope;
  if (!fn_js_enter(h, &scope)) return;
  fn_call_js(h, FN_ONTIMEOUT, 0, NULL);
  napi_close_handle_scope(env, scope);
}

void fn_stream_touch(fn_handle_t* h) {
  fn_idle_timer_t* t = h->timer;
  if (t == NULL || t->timeout_ms == 0 || h->state != FN_OPEN) return;
  t->last_activity = fn_socket__now(h->fenv->loop);
  /* fired already: activity re-arms it, like core's timeout.refresh() */
  if (!uv_is_active((uv_handle_t*)&t->timer)) uv_timer_start(&t->timer, fn_socket__on_timer, t->timeout_ms, 0);
}

/* setTimeout(ms): 0 disables. The timer never keeps the loop alive. */
napi_value fn_socket_set_idle_timeout(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  fn_handle_t* h = fn_handle_from(env, info, &argc, argv);
  if (h == NULL) return NULL;
  double ms = 0;
  NAPI_CALL(env, napi_get_value_double(env, argv[0], &ms));
  if (h->state != FN_OPEN) return fn_int(env, UV_EBADF);
  if (h->timer == NULL) {
    fn_idle_timer_t* t = calloc(1, sizeof(*t));
    if (t == NULL) return fn_int(env, UV_ENOMEM);
    int err = uv_timer_init(h->fenv->loop, &t->timer);
    if (err) {
      free(t);
      return fn_int(env, err);
    }
    t->timer.data = h;
    uv_unref((uv_handle_t*)&t->timer);
    h->timer = t;
  }
  fn_idle_timer_t* t = h->timer;
  /* As core's timers: a fraction rounds up (0.5 fires after 1 ms, not never); JS caps it at 2^31 - 1. */
  if (!(ms > 0)) ms = 0;
  if (ms > 2147483647.0) ms = 2147483647.0;
  t->timeout_ms = (uint64_t)ms;
  if ((double)t->timeout_ms < ms) t->timeout_ms++;
  /* http sets a timeout and clears it again on every request: leave the timer heap alone where the timer
   * callback can sort it out. With 0 a running timer finds the timeout gone and stops; a running timer due no
   * later than the new timeout re-arms itself for the rest when it fires. */
  if (t->timeout_ms == 0) return fn_int(env, 0);
  t->last_activity = fn_socket__now(h->fenv->loop);
  if (!uv_is_active((uv_handle_t*)&t->timer) || uv_timer_get_due_in(&t->timer) > t->timeout_ms) {
    uv_timer_start(&t->timer, fn_socket__on_timer, t->timeout_ms, 0);
  }
  return fn_int(env, 0);
}

/* A socket's methods. The class's prototype gets them from lib/native.js, as calls to their twins, which take the
 * socket's id first (FN_FIND_ID_AS_THIS): JS reads the id with a cached load, where C would look it up on `this`
 * for ~800 instructions more a call. Core's modules call several per request (getAsyncId, isPipe, ref...). */
typedef struct {
  const char* name;
  napi_callback fn;
} fn_twin_t;

static const fn_twin_t fn_socket__methods[] = {
  {"connect", fn_socket_connect}, {"bind", fn_handle_bind}, {"open", fn_handle_open},
  {"adoptBound", fn_bound_adopt}, {"readStart", fn_stream_read_start}, {"readStop", fn_stream_read_stop},
  {"setOnreadBuffer", fn_stream_set_onread_buffer}, {"shutdown", fn_stream_shutdown},
  {"sendDeferred", fn_stream_send_deferred}, {"close", fn_handle_close_js}, {"reset", fn_socket_reset},
  {"ref", fn_handle_ref}, {"unref", fn_handle_unref}, {"hasRef", fn_handle_has_ref},
  {"getAsyncId", fn_handle_get_async_id}, {"asyncReset", fn_handle_async_reset}, {"isPipe", fn_handle_is_pipe},
  {"getsockname", fn_handle_getsockname}, {"getpeername", fn_handle_getpeername},
  {"setNoDelay", fn_socket_set_no_delay}, {"setKeepAlive", fn_sockopt_set_keep_alive},
  {"setTypeOfService", fn_sockopt_set_type_of_service}, {"getTypeOfService", fn_sockopt_get_type_of_service},
};

/* A socket handle's getters, as core's have them; lib/native.js defines them on its prototype, as calls to these. */
static const fn_twin_t fn_socket__getters[] = {
  {"writeQueueSize", fn_stream_write_queue_size}, {"fd", fn_handle_fd},
  {"bytesRead", fn_socket_bytes_read}, {"bytesWritten", fn_socket_bytes_written},
};

/* The twins, by name: each takes the socket's id first. */
static napi_value fn_socket__twins(napi_env env, const fn_twin_t* table, size_t count) {
  napi_value twins, fn;
  NAPI_CALL(env, napi_create_object(env, &twins));
  for (size_t i = 0; i < count; i++) {
    NAPI_CALL(env, napi_create_function(env, table[i].name, NAPI_AUTO_LENGTH, table[i].fn,
                                        (void*)(uintptr_t)FN_FIND_ID_AS_THIS, &fn));
    NAPI_CALL(env, napi_set_named_property(env, twins, table[i].name, fn));
  }
  return twins;
}

/* binding.socketMethods and binding.socketGetters */
napi_value fn_socket_methods(napi_env env) {
  return fn_socket__twins(env, fn_socket__methods, sizeof(fn_socket__methods) / sizeof(fn_socket__methods[0]));
}

napi_value fn_socket_getters(napi_env env) {
  return fn_socket__twins(env, fn_socket__getters, sizeof(fn_socket__getters) / sizeof(fn_socket__getters[0]));
}
