/* Lifetime shared by Socket and Server: construct, strong reference while open, close and free, teardown. */
#include "handle.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* The live set: every handle not yet closed, by its id, an open-addressing hash table (linear probing,
 * at most half full). An id is a per-env count, never reused: the handle's JS object carries it under the symbol
 * binding.kId (a socket's is set by lib/native.js's class, a server's defined read-only here), and JS names a
 * handle to the native side only by it. Socket methods take it as an argument (JS reads it), server methods read
 * it from `this`: a fraction of a property lookup's cost (napi_unwrap's was ~800 instructions, half of what a
 * write cost in C). Objects are not wrapped: napi_wrap
 * would add a private property, and a fourth property grows each handle's property array by 24 bytes. A handle
 * leaves the set and its memory is freed when its close completes, as core's handle objects let go of their
 * C++ side then: an id that was given out but is no longer live names a closed handle, and its object's
 * methods see fenv->closed, a stand-in in the closed state (no finalizer per object: they cost ~1,700
 * instructions a handle, and GC work). Any object whose [kId] is a live handle's names that handle: nothing
 * else is trusted. */
static size_t fn_live__home(const fn_env_t* fenv, uint64_t id) {
  uint64_t x = id * 0x9E3779B97F4A7C15ULL;
  return (size_t)(x >> 32) & (fenv->live_cap - 1);
}

static void fn_live__put(fn_env_t* fenv, fn_handle_t* h) {
  size_t i = fn_live__home(fenv, h->id);
  while (fenv->live[i] != NULL) i = (i + 1) & (fenv->live_cap - 1);
  fenv->live[i] = h;
}

static bool fn_live__add(fn_env_t* fenv, fn_handle_t* h) {
  if ((fenv->live_count + 1) * 2 > fenv->live_cap) {
    size_t old_cap = fenv->live_cap;
    fn_handle_t** old = fenv->live;
    size_t cap = old_cap ? old_cap * 2 : 64;
    fn_handle_t** live = calloc(cap, sizeof(*live));
    if (live == NULL) return false;
    fenv->live = live;
    fenv->live_cap = cap;
    for (size_t i = 0; i < old_cap; i++) {
      if (old[i] != NULL) fn_live__put(fenv, old[i]);
    }
    free(old);
  }
  fn_live__put(fenv, h);
  fenv->live_count++;
  return true;
}

/* The live handle with this id, or NULL. */
fn_handle_t* fn_handle_find(const fn_env_t* fenv, uint64_t id) {
  if (fenv->live_cap == 0) return NULL;
  for (size_t i = fn_live__home(fenv, id); fenv->live[i] != NULL; i = (i + 1) & (fenv->live_cap - 1)) {
    if (fenv->live[i]->id == id) return fenv->live[i];
  }
  return NULL;
}

static void fn_live__remove(fn_env_t* fenv, fn_handle_t* h) {
  if (fenv->live_cap == 0) return;
  size_t mask = fenv->live_cap - 1, i = fn_live__home(fenv, h->id);
  while (fenv->live[i] != h) {
    if (fenv->live[i] == NULL) return;
    i = (i + 1) & mask;
  }
  /* backward-shift deletion: move up later entries whose probe passed through the freed slot */
  for (size_t j = (i + 1) & mask; fenv->live[j] != NULL; j = (j + 1) & mask) {
    size_t home = fn_live__home(fenv, fenv->live[j]->id);
    if (((j - home) & mask) >= ((j - i) & mask)) {
      fenv->live[i] = fenv->live[j];
      i = j;
    }
  }
  fenv->live[i] = NULL;
  fenv->live_count--;
}

static void fn_handle__link(fn_handle_t* h) {
  fn_env_t* fenv = h->fenv;
  h->prev = NULL;
  h->next = fenv->handles;
  if (fenv->handles) fenv->handles->prev = h;
  fenv->handles = h;
}

static void fn_handle__unlink(fn_handle_t* h) {
  if (h->prev) h->prev->next = h->next;
  else h->fenv->handles = h->next;
  if (h->next) h->next->prev = h->prev;
  h->prev = h->next = NULL;
}

static void fn_handle__free(fn_handle_t* h) {
  if (h->rare) free(h->rare->unlink_path);
  free(h->rare);
  free(h);
}

/* The handle's rarely used fields, made on first use; NULL when out of memory. */
fn_handle_rare_t* fn_handle_rare(fn_handle_t* h) {
  if (h->rare == NULL) h->rare = calloc(1, sizeof(*h->rare));
  return h->rare;
}

/* What the methods of a closed handle's object see: a handle in the closed state, with nothing else set. */
bool fn_handle_init_env(fn_env_t* fenv) {
  fenv->closed = calloc(1, sizeof(*fenv->closed));
  if (fenv->closed == NULL) return false;
  fenv->closed->fenv = fenv;
  fenv->closed->state = FN_CLOSED;
  fenv->closed->kind = FN_SOCKET;  /* a closed server's methods check the state first too */
  return true;
}

/* Opens a handle scope for a call into JS; false while the env is shutting down (then JS is not called). */
bool fn_js_enter(fn_handle_t* h, napi_handle_scope* scope) {
  return !h->fenv->exiting && napi_open_handle_scope(h->fenv->env, scope) == napi_ok;
}

/* Calls fn (a reference) with the handle as `this`, through its async context. Returns what it returned (NULL
 * if it threw or was not called). */
static napi_value fn__call_ref(fn_handle_t* h, napi_ref ref, size_t argc, napi_value* argv) {
  napi_env env = h->fenv->env;
  napi_value recv, fn, result = NULL;
  if (napi_get_reference_value(env, h->self, &recv) != napi_ok || recv == NULL) return NULL;
  if (ref == NULL || napi_get_reference_value(env, ref, &fn) != napi_ok || fn == NULL) return NULL;
  napi_status status = napi_make_callback(env, h->async, recv, fn, argc, argv, &result);
  if (status != napi_ok) result = NULL;
  if (status == napi_pending_exception) {
    /* like core: an exception thrown by a callback is uncaught */
    napi_value exception;
    if (napi_get_and_clear_last_exception(env, &exception) == napi_ok) napi_fatal_exception(env, exception);
  }
  /* any other failure means the env can no longer run JS (it is shutting down): nothing to tell */
  return result;
}

napi_value fn_call_js(fn_handle_t* h, enum fn_callback which, size_t argc, napi_value* argv) {
  return fn__call_ref(h, h->fenv->callbacks[which], argc, argv);
}

/* A request completed: tell JS its status, in a scope of its own. */
void fn_call_js_status(fn_handle_t* h, enum fn_callback which, int status) {
  napi_handle_scope scope;
  if (!fn_js_enter(h, &scope)) return;
  napi_value argv[1] = {fn_int(h->fenv->env, status)};
  fn_call_js(h, which, 1, argv);
  napi_close_handle_scope(h->fenv->env, scope);
}

/* After both uv handles (stream and timer) closed: call close(cb)'s cb, let go of the JS object, free. */
static void fn_handle__closed(fn_handle_t* h) {
  fn_env_t* fenv = h->fenv;
  napi_env env = fenv->env;
  h->state = FN_CLOSED;
  napi_handle_scope scope;
  if (h->close_cb && fn_js_enter(h, &scope)) {
    fn__call_ref(h, h->close_cb, 0, NULL);
    napi_close_handle_scope(env, scope);
  }
  if (h->close_cb) napi_delete_reference(env, h->close_cb);
  h->close_cb = NULL;
  napi_async_destroy(env, h->async);
  fn_handle_rare_t* rare = h->rare;
  if (rare) {
    if (rare->onread_buffer) napi_delete_reference(env, rare->onread_buffer);
    if (rare->async_resource) napi_delete_reference(env, rare->async_resource);
    rare->onread_buffer = rare->async_resource = NULL;
    rare->onread_data = NULL;
  }
  fn_handle__unlink(h);
  fn_live__remove(fenv, h);
  napi_delete_reference(env, h->self);
  fn_handle__free(h);
  fn_env_check_done(fenv);
}

/* During teardown: once every handle (and the env's prepare handle) closed, Node may go on. */
void fn_env_check_done(fn_env_t* fenv) {
  if (fenv->exiting && fenv->handles == NULL && !fenv->prepare_open && fenv->cleanup) {
    napi_async_cleanup_hook_handle cleanup = fenv->cleanup;
    fenv->cleanup = NULL;
    napi_remove_async_cleanup_hook(cleanup);
  }
}

static void fn_handle__on_close(uv_handle_t* handle) {
  fn_handle_t* h = handle->data;
  if (--h->pending_closes == 0) fn_handle__closed(h);
}

static void fn_handle__on_timer_close(uv_handle_t* timer) {
  fn_handle_t* h = timer->data;
  free(h->timer);  /* the fn_idle_timer_t whose first member `timer` is */
  h->timer = NULL;
  if (--h->pending_closes == 0) fn_handle__closed(h);
}

void fn_handle_close(fn_handle_t* h) {
  if (h->state != FN_OPEN) return;
  if (h->kind == FN_SOCKET) fn_stream_flush(h);  /* a deferred write goes out before the FIN, as it would have */
  if (h->rare && h->rare->unlink_path) {  /* an adopted BoundSocket's socket file, removed as libuv removes a
                                            bound pipe's */
    unlink(h->rare->unlink_path);
    free(h->rare->unlink_path);
    h->rare->unlink_path = NULL;
  }
  h->state = FN_CLOSING;
  h->pending_closes = 1;
  if (h->timer) {
    h->pending_closes++;
    uv_close((uv_handle_t*)&h->timer->timer, fn_handle__on_timer_close);
  }
  uv_close(&h->uv.handle, fn_handle__on_close);
}

void fn_handle_close_all(fn_env_t* fenv) {
  for (fn_handle_t* h = fenv->handles; h; h = h->next) fn_handle_close(h);
}

static void fn_handle__free_now(uv_handle_t* handle) {
  free(handle->data);
}

/* The async resource type, as core names its handles' providers. */
static const char* fn_handle__provider(const fn_handle_t* h) {
  return h->type == FN_TCP ? (h->kind == FN_SERVER ? "TCPSERVERWRAP" : "TCPWRAP")
                           : (h->kind == FN_SERVER ? "PIPESERVERWRAP" : "PIPEWRAP");
}

/* Makes the native side of the handle whose JS object is `self`: a uv handle of `type` (0 = TCP, 1 = Unix socket),
 * an id in the live set, a strong reference (as core holds its handles until they close), an async context. The
 * caller gives the object its id. Returns NULL, with an exception pending, if it cannot. */
static fn_handle_t* fn_handle__create(napi_env env, napi_value self, uint8_t kind, int32_t type) {
  fn_env_t* fenv;
  napi_value resource_name;
  NAPI_CALL(env, napi_get_instance_data(env, (void**)&fenv));
  if (type != FN_TCP && type != FN_PIPE) {
    napi_throw_range_error(env, NULL, "fastnet: unknown handle type");
    return NULL;
  }
  fn_handle_t* h = calloc(1, sizeof(*h));
  if (h == NULL) {
    napi_throw_error(env, "ENOMEM", "fastnet: out of memory");
    return NULL;
  }
  h->fenv = fenv;
  h->type = (uint8_t)type;
  h->kind = kind;
  int err = type == FN_TCP ? uv_tcp_init(fenv->loop, &h->uv.tcp) : uv_pipe_init(fenv->loop, &h->uv.pipe, 0);
  if (err) {
    free(h);
    napi_throw_error(env, uv_err_name(err), uv_strerror(err));
    return NULL;
  }
  h->uv.handle.data = h;
  h->id = ++fenv->last_id;
  bool live = fn_live__add(fenv, h);
  if (!live) napi_throw_error(env, "ENOMEM", "fastnet: out of memory");
  if (!live || napi_create_string_utf8(env, fn_handle__provider(h), NAPI_AUTO_LENGTH, &resource_name) != napi_ok ||
      napi_create_reference(env, self, 1, &h->self) != napi_ok ||
      napi_async_init(env, self, resource_name, &h->async) != napi_ok) {
    if (live) fn_live__remove(fenv, h);
    if (h->self) napi_delete_reference(env, h->self);
    uv_close(&h->uv.handle, fn_handle__free_now);
    return NULL;
  }
  fn_handle__link(h);
  return h;
}

/* new Server(type): the native class's constructor; the handle's id is defined on it read-only. */
napi_value fn_handle_construct(napi_env env, napi_callback_info info, uint8_t kind) {
  size_t argc = 1;
  napi_value argv[1], self, new_target;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, &self, NULL));
  NAPI_CALL(env, napi_get_new_target(env, info, &new_target));
  if (new_target == NULL) {
    napi_throw_type_error(env, "ERR_CONSTRUCT_CALL_REQUIRED", "fastnet: native handles are created with `new`");
    return NULL;
  }
  int32_t type = 0;
  if (argc > 0) NAPI_CALL(env, napi_get_value_int32(env, argv[0], &type));
  fn_handle_t* h = fn_handle__create(env, self, kind, type);
  if (h == NULL) return NULL;
  napi_property_descriptor id = {NULL, NULL, NULL, NULL, NULL, fn_double(env, (double)h->id), napi_default, NULL};
  if (napi_get_reference_value(env, h->fenv->id_key, &id.name) != napi_ok ||
      napi_define_properties(env, self, 1, &id) != napi_ok) {
    fn_handle_close(h);
    return NULL;
  }
  return self;
}

/* newSocket(object, type): the native side of a socket handle whose JS object is `object` (an instance of
 * lib/native.js's Socket class, which keeps the id this returns under [kId]). A store in JS costs a few
 * instructions where defining the property from C cost ~2,400 a handle. */
napi_value fn_handle_new_socket(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_valuetype kind = napi_undefined;
  int32_t type = 0;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc > 0) NAPI_CALL(env, napi_typeof(env, argv[0], &kind));
  if (kind != napi_object) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "fastnet: newSocket expects an object");
    return NULL;
  }
  if (argc > 1) NAPI_CALL(env, napi_get_value_int32(env, argv[1], &type));
  fn_handle_t* h = fn_handle__create(env, argv[0], FN_SOCKET, type);
  return h == NULL ? NULL : fn_double(env, (double)h->id);
}

/* The handle a native function is called for, by how it was created (its data, see enum fn_find): `this`'s id
 * for a method, or the id its first argument gives, for a socket only. argv gets up to *argc arguments (those after
 * the id, when the id is one), undefined for those not passed, and *argc how many were passed. Returns NULL, with a
 * pending TypeError, if no live handle has that id. A forged id names another live socket or none: C never uses a
 * number JS made up. */
fn_handle_t* fn_handle_from(napi_env env, napi_callback_info info, size_t* argc, napi_value* argv) {
  napi_value args[FN_FIND_MAX_ARGS + 1], self, key, id_value = NULL;
  size_t wanted = argc ? *argc : 0, n = wanted + 1;
  void* data = NULL;
  fn_env_t* fenv = NULL;
  napi_valuetype type;
  int64_t id;
  fn_handle_t* h = NULL;
  if (wanted > FN_FIND_MAX_ARGS || napi_get_cb_info(env, info, &n, args, &self, &data) != napi_ok) return NULL;
  if (napi_get_instance_data(env, (void**)&fenv) != napi_ok) fenv = NULL;
  enum fn_find find = (enum fn_find)(uintptr_t)data;
  if (find == FN_FIND_THIS) {
    /* from C++ the property load costs ~800 instructions more than the twin's call (lib/native.js) */
    if (fenv && napi_typeof(env, self, &type) == napi_ok && type == napi_object &&
        napi_get_reference_value(env, fenv->id_key, &key) == napi_ok) {
      if (napi_get_property(env, self, key, &id_value) != napi_ok) id_value = NULL;
    }
    for (size_t i = 0; i < wanted; i++) argv[i] = args[i];
    if (argc) *argc = n;
  } else {
    id_value = args[0];  /* undefined if none was passed */
    for (size_t i = 0; i < wanted; i++) argv[i] = args[i + 1];
    if (argc) *argc = n > 0 ? n - 1 : 0;
  }
  if (fenv && id_value && napi_get_value_int64(env, id_value, &id) == napi_ok && id > 0) {
    h = fn_handle_find(fenv, (uint64_t)id);
    if (h == NULL && (uint64_t)id <= fenv->last_id) h = fenv->closed;  /* given out once: closed since */
  }
  if (h != NULL && find != FN_FIND_THIS && h->kind != FN_SOCKET) h = NULL;
  if (h == NULL && find == FN_FIND_ID) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "fastnet: the first argument is not a native socket's id");
  } else if (h == NULL) {
    napi_throw_type_error(env, "ERR_INVALID_THIS", "fastnet: method called on an object that is not a native handle");
  }
  return h;
}

/* Keeps cb (if a function) for when the close completes; as core's HandleWrap, only the first close counts. */
bool fn_handle_set_close_cb(fn_handle_t* h, napi_value cb) {
  napi_valuetype type;
  napi_env env = h->fenv->env;
  if (h->state != FN_OPEN || h->close_cb) return true;
  if (napi_typeof(env, cb, &type) != napi_ok || type != napi_function) return true;
  return napi_create_reference(env, cb, 1, &h->close_cb) == napi_ok;
}

/* A socket's byte counts as it closes, into `out` if it is a Float64Array of two or more: what bytesRead and
 * bytesWritten say afterwards, without two more calls per closed socket. */
void fn_handle_report_counts(napi_env env, const fn_handle_t* h, napi_value out) {
  napi_typedarray_type type;
  size_t length;
  void* data;
  if (napi_get_typedarray_info(env, out, &type, &length, &data, NULL, NULL) != napi_ok ||
      type != napi_float64_array || length < 2 || data == NULL) {
    return;
  }
  double* counts = data;
  counts[0] = h->bytes_read;
  counts[1] = h->bytes_written;
}

/* close([cb[, counts]]) */
napi_value fn_handle_close_js(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  fn_handle_t* h = fn_handle_from(env, info, &argc, argv);
  if (h == NULL) return NULL;
  if (argc > 0 && !fn_handle_set_close_cb(h, argv[0])) return NULL;
  if (argc > 1) fn_handle_report_counts(env, h, argv[1]);
  fn_handle_close(h);
  return NULL;
}

/* getAsyncId(): the async id of the handle's context, as core's handles report theirs (http's agent asks it
 * when it reuses a socket). N-API does not expose it, so ask JS: executionAsyncId() inside a callback made
 * with that context. Called from JS, the callback scope is nested: no ticks run. Asked once, then kept. */
napi_value fn_handle_get_async_id(napi_env env, napi_callback_info info) {
  napi_value self, fn, result;
  fn_handle_t* h = fn_handle_from(env, info, NULL, NULL);
  if (h == NULL) return NULL;
  fn_handle_rare_t* rare = h->rare;
  if ((rare == NULL || rare->async_id == 0) && h->state != FN_CLOSED && h->fenv->callbacks[FN_EXECUTION_ASYNC_ID] &&
      (rare = fn_handle_rare(h)) != NULL) {
    NAPI_CALL(env, napi_get_reference_value(env, h->self, &self));
    NAPI_CALL(env, napi_get_reference_value(env, h->fenv->callbacks[FN_EXECUTION_ASYNC_ID], &fn));
    NAPI_CALL(env, napi_make_callback(env, h->async, self, fn, 0, NULL, &result));
    NAPI_CALL(env, napi_get_value_double(env, result, &rare->async_id));
  }
  return fn_double(env, rare && rare->async_id > 0 ? rare->async_id : -1);
}

/* asyncReset([resource]): a new async context (new id, destroy and init hooks), as core's handles do when
 * http's agent hands a kept-alive socket to its next request: the socket's events then run in that request's
 * context (AsyncLocalStorage), not the first one's. */
napi_value fn_handle_async_reset(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], resource, name;
  napi_valuetype type = napi_undefined;
  napi_async_context async;
  fn_handle_t* h = fn_handle_from(env, info, &argc, argv);
  if (h == NULL || h->state == FN_CLOSED) return NULL;
  if (argc > 0) NAPI_CALL(env, napi_typeof(env, argv[0], &type));
  if (type == napi_object) resource = argv[0];
  else NAPI_CALL(env, napi_get_reference_value(env, h->self, &resource));
  fn_handle_rare_t* rare = type == napi_object ? fn_handle_rare(h) : h->rare;
  if (type == napi_object && rare == NULL) {
    napi_throw_error(env, "ENOMEM", "fastnet: out of memory");
    return NULL;
  }
  NAPI_CALL(env, napi_create_string_utf8(env, fn_handle__provider(h), NAPI_AUTO_LENGTH, &name));
  NAPI_CALL(env, napi_async_init(env, resource, name, &async));
  napi_ref keep = NULL;
  if (type == napi_object && napi_create_reference(env, resource, 1, &keep) != napi_ok) keep = NULL;
  napi_async_destroy(env, h->async);
  h->async = async;
  if (rare) {
    if (rare->async_resource) napi_delete_reference(env, rare->async_resource);
    rare->async_resource = keep;
    rare->async_id = 0;
  }
  return NULL;
}

/* activeHandles(): the handles that keep the loop alive (open or closing, ref'd), oldest first, as
 * process._getActiveHandles() lists core's. Only asked by that function (see lib/handles.js). */
napi_value fn_handle_active(napi_env env, napi_callback_info info) {
  fn_env_t* fenv;
  napi_value out, obj;
  FN_UNUSED(info);
  NAPI_CALL(env, napi_get_instance_data(env, (void**)&fenv));
  NAPI_CALL(env, napi_create_array(env, &out));
  fn_handle_t* last = fenv->handles;
  while (last && last->next) last = last->next;
  uint32_t i = 0;
  for (fn_handle_t* h = last; h; h = h->prev) {  /* the list is newest first */
    if (!uv_has_ref(&h->uv.handle) || h->self == NULL) continue;
    if (napi_get_reference_value(env, h->self, &obj) != napi_ok || obj == NULL) continue;
    NAPI_CALL(env, napi_set_element(env, out, i++, obj));
  }
  return out;
}

napi_value fn_handle_ref(napi_env env, napi_callback_info info) {
  fn_handle_t* h = fn_handle_from(env, info, NULL, NULL);
  if (h == NULL) return NULL;
  if (h->state == FN_OPEN) uv_ref(&h->uv.handle);
  return NULL;
}

napi_value fn_handle_unref(napi_env env, napi_callback_info info) {
  fn_handle_t* h = fn_handle_from(env, info, NULL, NULL);
  if (h == NULL) return NULL;
  if (h->state == FN_OPEN) uv_unref(&h->uv.handle);
  return NULL;
}

napi_value fn_handle_has_ref(napi_env env, napi_callback_info info) {
  fn_handle_t* h = fn_handle_from(env, info, NULL, NULL);
  if (h == NULL) return NULL;
  return fn_bool(env, h->state == FN_OPEN && uv_has_ref(&h->uv.handle));
}

/* the `fd` getter: the descriptor, or -1 once closed (core's handles have the same) */
napi_value fn_handle_fd(napi_env env, napi_callback_info info) {
  fn_handle_t* h = fn_handle_from(env, info, NULL, NULL);
  if (h == NULL) return NULL;
  uv_os_fd_t fd = -1;
  if (h->state != FN_OPEN || uv_fileno(&h->uv.handle, &fd) != 0) fd = -1;
  return fn_int(env, fd);
}

napi_value fn_int(napi_env env, int64_t v) {
  napi_value out;
  /* int32 makes a small integer directly; int64 goes through a double (~50 instructions more, per read) */
  if (v >= INT32_MIN && v <= INT32_MAX) napi_create_int32(env, (int32_t)v, &out);
  else napi_create_int64(env, v, &out);
  return out;
}

napi_value fn_double(napi_env env, double v) {
  napi_value out;
  napi_create_double(env, v, &out);
  return out;
}

napi_value fn_bool(napi_env env, bool v) {
  napi_value out;
  napi_get_boolean(env, v, &out);
  return out;
}

napi_value fn_undefined(napi_env env) {
  napi_value out;
  napi_get_undefined(env, &out);
  return out;
}

/* Fills out.{address, family, port} from a socket address; returns 0 or a uv error. */
int fn_sockaddr_to_js(napi_env env, const struct sockaddr* sa, napi_value out) {
  char ip[INET6_ADDRSTRLEN];
  int port;
  const char* family;
  if (sa->sa_family == AF_INET) {
    const struct sockaddr_in* a4 = (const struct sockaddr_in*)sa;
    uv_ip4_name(a4, ip, sizeof(ip));
    port = ntohs(a4->sin_port);
    family = "IPv4";
  } else if (sa->sa_family == AF_INET6) {
    const struct sockaddr_in6* a6 = (const struct sockaddr_in6*)sa;
    uv_ip6_name(a6, ip, sizeof(ip));
    port = ntohs(a6->sin6_port);
    family = "IPv6";
  } else {
    return UV_EAFNOSUPPORT;
  }
  napi_value v;
  napi_create_string_utf8(env, ip, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, out, "address", v);
  napi_create_string_utf8(env, family, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, out, "family", v);
  napi_set_named_property(env, out, "port", fn_int(env, port));
  return 0;
}

static napi_value fn_handle__name(napi_env env, napi_callback_info info, bool peer) {
  size_t argc = 1;
  napi_value argv[1];
  fn_handle_t* h = fn_handle_from(env, info, &argc, argv);
  if (h == NULL) return NULL;
  if (h->state != FN_OPEN) return fn_int(env, UV_EBADF);
  if (h->type == FN_PIPE) {
    char path[4096];
    size_t len = sizeof(path);
    int err = peer ? uv_pipe_getpeername(&h->uv.pipe, path, &len) : uv_pipe_getsockname(&h->uv.pipe, path, &len);
    if (err) return fn_int(env, err);
    napi_value v;
    NAPI_CALL(env, napi_create_string_utf8(env, path, len, &v));
    NAPI_CALL(env, napi_set_named_property(env, argv[0], "address", v));
    return fn_int(env, 0);
  }
  struct sockaddr_storage addr;
  int len = sizeof(addr);
  int err = peer ? uv_tcp_getpeername(&h->uv.tcp, (struct sockaddr*)&addr, &len)
                 : uv_tcp_getsockname(&h->uv.tcp, (struct sockaddr*)&addr, &len);
  if (err == 0) err = fn_sockaddr_to_js(env, (struct sockaddr*)&addr, argv[0]);
  return fn_int(env, err);
}

/* getsockname(out) / getpeername(out): fill out.{address, family, port}; return 0 or a uv error. */
napi_value fn_handle_getsockname(napi_env env, napi_callback_info info) {
  return fn_handle__name(env, info, false);
}

napi_value fn_handle_getpeername(napi_env env, napi_callback_info info) {
  return fn_handle__name(env, info, true);
}

napi_value fn_handle_is_pipe(napi_env env, napi_callback_info info) {
  fn_handle_t* h = fn_handle_from(env, info, NULL, NULL);
  if (h == NULL) return NULL;
  return fn_bool(env, h->type == FN_PIPE);
}

/* Reads (ip string, port) into a sockaddr; returns 0 or a uv error. */
int fn_sockaddr_from_js(napi_env env, napi_value ip, napi_value port, bool v6, struct sockaddr_storage* out) {
  char host[INET6_ADDRSTRLEN + 16];
  size_t len;
  int32_t p = 0;
  if (napi_get_value_string_utf8(env, ip, host, sizeof(host), &len) != napi_ok) return UV_EINVAL;
  if (napi_get_value_int32(env, port, &p) != napi_ok) return UV_EINVAL;
  return v6 ? uv_ip6_addr(host, p, (struct sockaddr_in6*)out) : uv_ip4_addr(host, p, (struct sockaddr_in*)out);
}

/* bind(ip, port, isIPv6, ipv6Only[, reusePort]) for TCP (a server's address, or a client's localAddress/localPort);
 * bind(path) for a Unix socket. Returns 0 or a uv error (EADDRINUSE shows up at listen, not here). */
napi_value fn_handle_bind(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  fn_handle_t* h = fn_handle_from(env, info, &argc, argv);
  if (h == NULL) return NULL;
  if (h->state != FN_OPEN) return fn_int(env, UV_EBADF);
  if (h->type == FN_PIPE) {
    char path[4096];
    size_t len;
    NAPI_CALL(env, napi_get_value_string_utf8(env, argv[0], path, sizeof(path), &len));
    return fn_int(env, uv_pipe_bind2(&h->uv.pipe, path, len, 0));
  }
  bool v6 = false, v6only = false, reuse_port = false;
  if (argc > 2) napi_get_value_bool(env, argv[2], &v6);
  if (argc > 3) napi_get_value_bool(env, argv[3], &v6only);
  if (argc > 4) napi_get_value_bool(env, argv[4], &reuse_port);
  struct sockaddr_storage addr;
  int err = fn_sockaddr_from_js(env, argv[0], argv[1], v6, &addr);
  if (err == 0 && reuse_port) err = fn_tcp_reuse_port(h, v6 ? AF_INET6 : AF_INET);
  if (err == 0) err = uv_tcp_bind(&h->uv.tcp, (struct sockaddr*)&addr, v6only ? UV_TCP_IPV6ONLY : 0);
  return fn_int(env, err);
}

/* The open handle of this env whose descriptor is fd, if any. A walk over every handle: open() of a caller's
 * descriptor is rare (the cluster and IPC paths open duplicates, which no handle can hold). */
static fn_handle_t* fn_handle__owner_of(fn_env_t* fenv, int fd) {
  for (fn_handle_t* x = fenv->handles; x != NULL; x = x->next) {
    uv_os_fd_t owned;
    if (x->state == FN_OPEN && uv_fileno(&x->uv.handle, &owned) == 0 && owned == fd) return x;
  }
  return NULL;
}

/* open(fd[, duplicate]): adopt an existing socket descriptor, or a duplicate of it (the original stays
 * with its owner, e.g. a core handle handed over by the cluster module). */
napi_value fn_handle_open(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  fn_handle_t* h = fn_handle_from(env, info, &argc, argv);
  if (h == NULL) return NULL;
  int32_t fd;
  bool duplicate = false;
  NAPI_CALL(env, napi_get_value_int32(env, argv[0], &fd));
  if (argc > 1) napi_get_value_bool(env, argv[1], &duplicate);
  if (h->state != FN_OPEN) return fn_int(env, UV_EBADF);
  /* libuv polls what it opens, and aborts when epoll refuses a descriptor (a file, /dev/null, a directory):
   * those are refused here (core's net refuses them in JS, by their type, before its handles see them) */
  uv_handle_type kind = uv_guess_handle(fd);
  if (kind == UV_FILE || kind == UV_UNKNOWN_HANDLE) {
    return fn_int(env, fcntl(fd, F_GETFD) < 0 ? UV_EBADF : UV_EINVAL);
  }
  /* libuv refuses a descriptor only while another handle polls it: two handles owning one descriptor close it
   * twice, the second time as some newer handle's, whose next poll then aborts */
  if (!duplicate && fn_handle__owner_of(h->fenv, fd) != NULL) return fn_int(env, UV_EEXIST);
  if (duplicate) {
    fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) return fn_int(env, uv_translate_sys_error(errno));
  }
  int err = h->type == FN_TCP ? uv_tcp_open(&h->uv.tcp, fd) : uv_pipe_open(&h->uv.pipe, fd);
  if (err && duplicate) close(fd);
  return fn_int(env, err);
}
