/* Module init: per-env state, the Socket and Server classes, the JS callbacks, teardown. */
#include "handle.h"
#include <errno.h>
#include <fcntl.h>

static const char* const fn_callback_names[FN_CALLBACK_COUNT] = {
  "onread", "onwrite", "onconnect", "onshutdown", "ontimeout", "onconnection", "executionAsyncId",
};

/* setCallbacks({onread, onwrite, ...}): the functions every native event calls, once per env. */
static napi_value fn_set_callbacks(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_value fns[FN_CALLBACK_COUNT];
  fn_env_t* fenv;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI_CALL(env, napi_get_instance_data(env, (void**)&fenv));
  for (int i = 0; i < FN_CALLBACK_COUNT; i++) {   /* all checked before any is replaced */
    napi_valuetype type;
    NAPI_CALL(env, napi_get_named_property(env, argv[0], fn_callback_names[i], &fns[i]));
    NAPI_CALL(env, napi_typeof(env, fns[i], &type));
    if (type != napi_function) {
      napi_throw_type_error(env, NULL, "fastnet: setCallbacks needs every callback");
      return NULL;
    }
  }
  for (int i = 0; i < FN_CALLBACK_COUNT; i++) {
    if (fenv->callbacks[i]) napi_delete_reference(env, fenv->callbacks[i]);
    NAPI_CALL(env, napi_create_reference(env, fns[i], 1, &fenv->callbacks[i]));
  }
  return NULL;
}

/* setSocketClass(cls): lib/native.js's class of socket handles, with which accepted sockets are made. */
static napi_value fn_set_socket_class(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_valuetype type = napi_undefined;
  fn_env_t* fenv;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI_CALL(env, napi_get_instance_data(env, (void**)&fenv));
  if (argc > 0) NAPI_CALL(env, napi_typeof(env, argv[0], &type));
  if (type != napi_function) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "fastnet: setSocketClass expects a class");
    return NULL;
  }
  if (fenv->socket_ctor) napi_delete_reference(env, fenv->socket_ctor);
  fenv->socket_ctor = NULL;
  NAPI_CALL(env, napi_create_reference(env, argv[0], 1, &fenv->socket_ctor));
  return NULL;
}

/* Process exit or worker termination: close every handle; Node waits until we remove the hook. */
static void fn__on_prepare_close(uv_handle_t* handle) {
  fn_env_t* fenv = handle->data;
  fenv->prepare_open = false;
  fn_env_check_done(fenv);
}

static void fn__on_env_cleanup(napi_async_cleanup_hook_handle cleanup, void* arg) {
  FN_UNUSED(cleanup);  /* kept in fenv->cleanup, removed once the last handle closed */
  fn_env_t* fenv = arg;
  fenv->exiting = true;
  fn_handle_close_all(fenv);
  fn_bound_close_all(fenv);
  uv_close((uv_handle_t*)&fenv->flush_prepare, fn__on_prepare_close);
}

static void fn__free_env(napi_env env, void* data, void* hint) {
  FN_UNUSED(hint);
  fn_env_t* fenv = data;
  for (int i = 0; i < FN_CALLBACK_COUNT; i++) {
    if (fenv->callbacks[i]) napi_delete_reference(env, fenv->callbacks[i]);
  }
  if (fenv->socket_ctor) napi_delete_reference(env, fenv->socket_ctor);
  if (fenv->id_key) napi_delete_reference(env, fenv->id_key);
  if (fenv->slab) napi_delete_reference(env, fenv->slab);
  if (fenv->block) napi_delete_reference(env, fenv->block);
  free(fenv->live);
  free(fenv->closed);
  free(fenv);
}

/* guessHandleType(fd): 'TCP', 'PIPE', 'TTY', 'FILE', 'UDP' or 'UNKNOWN', as libuv sees the descriptor. */
static napi_value fn_guess_handle_type(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], out;
  int32_t fd = -1;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) fd = -1;
  const char* name = "UNKNOWN";
  switch (fd < 0 ? UV_UNKNOWN_HANDLE : uv_guess_handle(fd)) {
    case UV_TCP: name = "TCP"; break;
    case UV_NAMED_PIPE: name = "PIPE"; break;
    case UV_TTY: name = "TTY"; break;
    case UV_FILE: name = "FILE"; break;
    case UV_UDP: name = "UDP"; break;
    default: break;
  }
  NAPI_CALL(env, napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &out));
  return out;
}

/* dup(fd): a close-on-exec duplicate of a descriptor, or a negative uv error. Sending a handle over IPC
 * gives core's child_process a core handle over a duplicate, so the original stays fastnet's (lib/ipc.js). */
static napi_value fn_dup(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd = -1;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) return fn_int(env, UV_EBADF);
  int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  return fn_int(env, copy < 0 ? uv_translate_sys_error(errno) : copy);
}

static napi_status fn__export_int(napi_env env, napi_value exports, const char* name, int value) {
  return napi_set_named_property(env, exports, name, fn_int(env, value));
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  fn_env_t* fenv = calloc(1, sizeof(*fenv));
  if (fenv == NULL) {
    napi_throw_error(env, NULL, "fastnet: out of memory");
    return NULL;
  }
  fenv->env = env;
  if (!fn_handle_init_env(fenv)) {
    free(fenv);
    napi_throw_error(env, NULL, "fastnet: out of memory");
    return NULL;
  }
  NAPI_CALL(env, napi_get_uv_event_loop(env, &fenv->loop));
  if (uv_prepare_init(fenv->loop, &fenv->flush_prepare) != 0) {
    free(fenv->closed);
    free(fenv);
    napi_throw_error(env, NULL, "fastnet: uv_prepare_init failed");
    return NULL;
  }
  fenv->flush_prepare.data = fenv;
  fenv->prepare_open = true;
  uv_unref((uv_handle_t*)&fenv->flush_prepare);  /* never keeps the loop alive */
  NAPI_CALL(env, napi_set_instance_data(env, fenv, fn__free_env, NULL));
  NAPI_CALL(env, napi_add_async_cleanup_hook(env, fn__on_env_cleanup, fenv, &fenv->cleanup));

  napi_value server = fn_server_class(env);
  if (server == NULL) return NULL;
  napi_value id_key, description;
  NAPI_CALL(env, napi_create_string_utf8(env, "fastnet.id", NAPI_AUTO_LENGTH, &description));
  NAPI_CALL(env, napi_create_symbol(env, description, &id_key));
  NAPI_CALL(env, napi_create_reference(env, id_key, 1, &fenv->id_key));
  NAPI_CALL(env, napi_set_named_property(env, exports, "kId", id_key));

  napi_value set_callbacks;
  NAPI_CALL(env, napi_create_function(env, "setCallbacks", NAPI_AUTO_LENGTH, fn_set_callbacks, NULL, &set_callbacks));
  NAPI_CALL(env, napi_set_named_property(env, exports, "Server", server));
  NAPI_CALL(env, napi_set_named_property(env, exports, "setCallbacks", set_callbacks));
  napi_value flush_all;
  NAPI_CALL(env, napi_create_function(env, "flushAll", NAPI_AUTO_LENGTH, fn_stream_flush_all, NULL, &flush_all));
  NAPI_CALL(env, napi_set_named_property(env, exports, "flushAll", flush_all));
  napi_value active;
  NAPI_CALL(env, napi_create_function(env, "activeHandles", NAPI_AUTO_LENGTH, fn_handle_active, NULL, &active));
  NAPI_CALL(env, napi_set_named_property(env, exports, "activeHandles", active));
  napi_value guess;
  NAPI_CALL(env, napi_create_function(env, "guessHandleType", NAPI_AUTO_LENGTH, fn_guess_handle_type, NULL, &guess));
  NAPI_CALL(env, napi_set_named_property(env, exports, "guessHandleType", guess));
  napi_value dup;
  NAPI_CALL(env, napi_create_function(env, "dup", NAPI_AUTO_LENGTH, fn_dup, NULL, &dup));
  NAPI_CALL(env, napi_set_named_property(env, exports, "dup", dup));
  napi_value socket_options;
  NAPI_CALL(env, napi_create_function(env, "socketOptions", NAPI_AUTO_LENGTH, fn_sockopt_socket_options, NULL,
                                      &socket_options));
  NAPI_CALL(env, napi_set_named_property(env, exports, "socketOptions", socket_options));
  static const struct { const char* name; napi_callback fn; enum fn_find find; } functions[] = {
    {"bindTcp", fn_bound_bind_tcp, FN_FIND_THIS}, {"bindPipe", fn_bound_bind_pipe, FN_FIND_THIS},
    {"closeBound", fn_bound_close, FN_FIND_THIS},
    {"detachBound", fn_bound_detach, FN_FIND_THIS}, {"attachBound", fn_bound_attach, FN_FIND_THIS},
    {"newSocket", fn_handle_new_socket, FN_FIND_THIS}, {"setSocketClass", fn_set_socket_class, FN_FIND_THIS},
    /* what a socket does per message takes the socket's id, not `this` (FN_FIND_ID) */
    {"writeBuffer", fn_stream_write_buffer, FN_FIND_ID}, {"writeString", fn_stream_write_string, FN_FIND_ID},
    {"writev", fn_stream_writev, FN_FIND_ID}, {"setIdleTimeout", fn_socket_set_idle_timeout, FN_FIND_ID},
  };
  for (size_t i = 0; i < sizeof(functions) / sizeof(functions[0]); i++) {
    napi_value fn;
    NAPI_CALL(env, napi_create_function(env, functions[i].name, NAPI_AUTO_LENGTH, functions[i].fn,
                                        (void*)(uintptr_t)functions[i].find, &fn));
    NAPI_CALL(env, napi_set_named_property(env, exports, functions[i].name, fn));
  }
  napi_value socket_methods = fn_socket_methods(env);
  if (socket_methods == NULL) return NULL;
  NAPI_CALL(env, napi_set_named_property(env, exports, "socketMethods", socket_methods));
  napi_value socket_getters = fn_socket_getters(env);
  if (socket_getters == NULL) return NULL;
  NAPI_CALL(env, napi_set_named_property(env, exports, "socketGetters", socket_getters));
  NAPI_CALL(env, fn__export_int(env, exports, "TCP", FN_TCP));
  NAPI_CALL(env, fn__export_int(env, exports, "PIPE", FN_PIPE));
  NAPI_CALL(env, fn__export_int(env, exports, "UV_EOF", UV_EOF));
  NAPI_CALL(env, fn__export_int(env, exports, "UV_ENOTCONN", UV_ENOTCONN));
  NAPI_CALL(env, fn__export_int(env, exports, "UV_EINVAL", UV_EINVAL));
  NAPI_CALL(env, fn__export_int(env, exports, "UV_EADDRINUSE", UV_EADDRINUSE));
  NAPI_CALL(env, fn__export_int(env, exports, "UV_ECANCELED", UV_ECANCELED));
  NAPI_CALL(env, fn__export_int(env, exports, "UV_ETIMEDOUT", UV_ETIMEDOUT));
  NAPI_CALL(env, fn__export_int(env, exports, "UV_READABLE", UV_READABLE));
  NAPI_CALL(env, fn__export_int(env, exports, "UV_WRITABLE", UV_WRITABLE));
  return exports;
}
