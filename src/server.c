/* The native Server: bind (v4, v6, path), listen, accept in C, open(fd), chmod, address. */
#include "handle.h"
#include <string.h>

static napi_value fn_server__construct(napi_env env, napi_callback_info info) {
  return fn_handle_construct(env, info, FN_SERVER);
}

/* Creates a native Socket of the server's type and accepts into it; returns its JS object or NULL. */
static napi_value fn_server__accept(fn_handle_t* server, int* err) {
  napi_env env = server->fenv->env;
  napi_value ctor, client, type = fn_int(env, server->type);
  uint64_t id = server->fenv->last_id + 1;  /* the id the new socket gets, to find it by */
  if (napi_get_reference_value(env, server->fenv->socket_ctor, &ctor) != napi_ok ||
      napi_new_instance(env, ctor, 1, &type, &client) != napi_ok) {
    *err = UV_ENOMEM;
    return NULL;
  }
  fn_handle_t* h = fn_handle_find(server->fenv, id);
  if (h == NULL) {
    *err = UV_EINVAL;
    return NULL;
  }
  *err = uv_accept(&server->uv.stream, &h->uv.stream);
  if (*err) {
    fn_handle_close(h);
    return NULL;
  }
  return client;
}

static void fn_server__on_connection(uv_stream_t* stream, int status) {
  fn_handle_t* h = stream->data;
  napi_env env = h->fenv->env;
  napi_handle_scope scope;
  if (!fn_js_enter(h, &scope)) return;
  napi_value argv[2];
  napi_value client = NULL;
  if (status == 0) client = fn_server__accept(h, &status);
  argv[0] = fn_int(env, status);
  argv[1] = client ? client : fn_undefined(env);
  fn_call_js(h, FN_ONCONNECTION, 2, argv);
  napi_close_handle_scope(env, scope);
}

/* listen(backlog): returns 0 or a uv error (EADDRINUSE shows up here, not at bind). */
static napi_value fn_server_listen(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  fn_handle_t* h = fn_handle_from(env, info, &argc, argv);
  if (h == NULL) return NULL;
  int32_t backlog = 511;
  if (argc > 0) napi_get_value_int32(env, argv[0], &backlog);
  if (h->state != FN_OPEN) return fn_int(env, UV_EBADF);
  return fn_int(env, uv_listen(&h->uv.stream, backlog, fn_server__on_connection));
}

/* chmod(mode): UV_READABLE | UV_WRITABLE on the socket file of a Unix-socket server. */
static napi_value fn_server_chmod(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  fn_handle_t* h = fn_handle_from(env, info, &argc, argv);
  if (h == NULL) return NULL;
  int32_t mode;
  NAPI_CALL(env, napi_get_value_int32(env, argv[0], &mode));
  if (h->state != FN_OPEN || h->type != FN_PIPE) return fn_int(env, UV_EBADF);
  return fn_int(env, uv_pipe_chmod(&h->uv.pipe, mode));
}

napi_value fn_server_class(napi_env env) {
  napi_property_descriptor methods[] = {
    {"bind", NULL, fn_handle_bind, NULL, NULL, NULL, napi_default_method, NULL},
    {"listen", NULL, fn_server_listen, NULL, NULL, NULL, napi_default_method, NULL},
    {"open", NULL, fn_handle_open, NULL, NULL, NULL, napi_default_method, NULL},
    {"adoptBound", NULL, fn_bound_adopt, NULL, NULL, NULL, napi_default_method, NULL},
    {"chmod", NULL, fn_server_chmod, NULL, NULL, NULL, napi_default_method, NULL},
    {"getsockname", NULL, fn_handle_getsockname, NULL, NULL, NULL, napi_default_method, NULL},
    {"close", NULL, fn_handle_close_js, NULL, NULL, NULL, napi_default_method, NULL},
    {"ref", NULL, fn_handle_ref, NULL, NULL, NULL, napi_default_method, NULL},
    {"unref", NULL, fn_handle_unref, NULL, NULL, NULL, napi_default_method, NULL},
    {"hasRef", NULL, fn_handle_has_ref, NULL, NULL, NULL, napi_default_method, NULL},
    {"fd", NULL, NULL, fn_handle_fd, NULL, NULL, napi_default, NULL},
    {"getAsyncId", NULL, fn_handle_get_async_id, NULL, NULL, NULL, napi_default_method, NULL},
    {"asyncReset", NULL, fn_handle_async_reset, NULL, NULL, NULL, napi_default_method, NULL},
    {"isPipe", NULL, fn_handle_is_pipe, NULL, NULL, NULL, napi_default_method, NULL},
  };
  napi_value cls;
  NAPI_CALL(env, napi_define_class(env, "Server", NAPI_AUTO_LENGTH, fn_server__construct, NULL,
                                   sizeof(methods) / sizeof(methods[0]), methods, &cls));
  return cls;
}
