/* What the native Socket and Server share: the struct, its lifetime, per-env state and the one path into JS. */
#ifndef FASTNET_HANDLE_H
#define FASTNET_HANDLE_H

#include <node_api.h>
#include <uv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Throws a JS error from a JS-callable function when an N-API call fails (a programmer error). */
#define NAPI_CALL(env, call)                                               \
  do {                                                                     \
    if ((call) != napi_ok) {                                               \
      bool pending_;                                                       \
      napi_is_exception_pending((env), &pending_);                         \
      if (!pending_) napi_throw_error((env), NULL, "fastnet: " #call " failed"); \
      return NULL;                                                         \
    }                                                                      \
  } while (0)

/* Where nothing can throw (libuv callbacks): a failing N-API call is a bug, so stop loudly. */
#define NAPI_CALL_FATAL(env, call)                                         \
  do {                                                                     \
    if ((call) != napi_ok) napi_fatal_error(__FILE__, NAPI_AUTO_LENGTH, #call, NAPI_AUTO_LENGTH); \
  } while (0)

enum fn_type { FN_TCP = 0, FN_PIPE = 1 };
enum fn_kind { FN_SOCKET = 0, FN_SERVER = 1 };

/* The JS callbacks, registered once per env (see lib/native.js). */
enum fn_callback {
  FN_ONREAD,        /* socket: (nread[, buffer]) */
  FN_ONWRITE,       /* socket: (status) for a write that went async */
  FN_ONCONNECT,     /* socket: (status) */
  FN_ONSHUTDOWN,    /* socket: (status) */
  FN_ONTIMEOUT,     /* socket: () idle timeout */
  FN_ONCONNECTION,  /* server: (status[, clientHandle]) */
  FN_EXECUTION_ASYNC_ID, /* both: async_hooks.executionAsyncId, for getAsyncId() (see handle.c) */
  FN_CALLBACK_COUNT
};

/* Callback signatures fixed by libuv and N-API carry parameters we do not need. */
#define FN_UNUSED(x) ((void)(x))

#define FN_READ_BLOCK_MIN 65536     /* reads land in a block of V8 memory this big (libuv's suggestion)... */
#define FN_READ_BLOCK_MAX 262144    /* ...or this big while a socket's backlog is over... */
#define FN_READ_BIG_QUEUE 524288    /* ...this (see fn_stream__block_size_for) */
#define FN_SLAB_SIZE 65536          /* small reads are copied into one shared ArrayBuffer of this size... */
#define FN_SLAB_READ_MAX 4096       /* ...when they are at most this long (a held one keeps the slab alive) */
#define FN_HOLD_MAX 16384           /* writes this big are never held for the flush (see fn_stream__schedule) */

typedef struct fn_handle_s fn_handle_t;
typedef struct fn_bound_s fn_bound_t;   /* bound.c: a bound descriptor no handle adopted yet */

/* What few handles use, made on first use (fn_handle_rare): asyncReset's resource and getAsyncId's answer
 * (http's agent, on a kept-alive socket), an adopted BoundSocket's file, the `onread` option's buffer. */
typedef struct fn_handle_rare_s {
  napi_ref async_resource;          /* asyncReset(resource): N-API holds a caller's resource weakly; we keep it
                                       alive while it is the handle's, as core's AsyncWrap does */
  double async_id;                  /* 0 until getAsyncId() first asks */
  char* unlink_path;                /* an adopted BoundSocket's socket file: removed on close, as libuv does */
  napi_ref onread_buffer;           /* the `onread` option: read straight into this buffer */
  char* onread_data;
  size_t onread_len;
} fn_handle_rare_t;

/* A socket's idle timeout (setTimeout), made by the first call: most sockets never have one. */
typedef struct fn_idle_timer_s {
  uv_timer_t timer;                 /* first: its handle pointer is the struct's */
  uint64_t timeout_ms;              /* 0: no timeout */
  uint64_t last_activity;
  size_t last_write_queue_size;     /* a queued write still draining counts as activity */
} fn_idle_timer_t;

typedef struct fn_env_s {
  napi_env env;
  uv_loop_t* loop;
  napi_ref socket_ctor;             /* lib/native.js's Socket class (setSocketClass): accepted sockets are made with it */
  napi_ref id_key;                  /* the symbol (binding.kId) a handle's JS object keeps its id under */
  napi_ref callbacks[FN_CALLBACK_COUNT];
  fn_handle_t* handles;             /* every handle not yet closed, for teardown */
  fn_handle_t* flush_list;          /* sockets that wrote this iteration: their deferred write goes out
                                       before the loop polls */
  uv_prepare_t flush_prepare;
  int in_read;                      /* inside a read callback: writes go out at once (see fn_stream__write) */
  bool exit_flushed;                /* the process is exiting: from now on writes go out at once */
  bool prepare_open;
  napi_async_cleanup_hook_handle cleanup;
  bool exiting;                     /* teardown began: no more calls into JS */
  fn_bound_t* bound;                /* BoundSocket descriptors not adopted nor closed: closed at teardown */
  napi_ref slab;                    /* the ArrayBuffer small reads are copied into, one after the other: JS makes
                                       each read a Buffer viewing its part (no allocation of its own) */
  char* slab_data;
  size_t slab_used;
  napi_ref block;                   /* the ArrayBuffer reads land in (uninitialized V8 memory): a read of at
                                       most half of it is copied out, a bigger one takes it over (JS gets a
                                       view of it) and a new one is made */
  char* block_data;
  size_t block_size;
  fn_handle_t** live;               /* every handle not yet closed, by id (see handle.c) */
  fn_handle_t* closed;              /* what a closed handle's id finds (see handle.c) */
  uint64_t last_id;                 /* the id the newest handle got; ids start at 1 and are never reused */
  size_t live_cap, live_count;
} fn_env_t;

enum fn_state { FN_OPEN = 0, FN_CLOSING, FN_CLOSED };

struct fn_handle_s {
  union {                           /* first, so a uv handle pointer is a fn_handle_t pointer */
    uv_handle_t handle;
    uv_stream_t stream;
    uv_tcp_t tcp;
    uv_pipe_t pipe;
  } uv;
  fn_env_t* fenv;
  uint64_t id;                      /* its JS object's [kId], by which JS names it to the native side */
  napi_ref self;                    /* strong from construction until close completes */
  napi_async_context async;
  fn_handle_rare_t* rare;           /* NULL until needed */
  napi_ref close_cb;                /* close(cb) / reset(cb): called once the close completed */
  fn_handle_t* prev;
  fn_handle_t* next;
  uint8_t type;                     /* fn_type */
  uint8_t kind;                     /* fn_kind */
  uint8_t state;                    /* fn_state */
  uint8_t pending_closes;           /* uv handles (stream, timer) whose close callback is due */
  uint8_t full_reads;               /* how many of the last reads (0-2) filled their blocks (see stream.c) */
  bool reading : 1;                 /* socket: uv_read_start is in effect */
  bool connecting : 1;              /* socket: a connect request is pending (libuv must not get a second one) */
  bool flush_scheduled : 1;         /* socket: wrote this iteration; a next write is deferred, not sent at once */
  bool write_through : 1;           /* socket: ending or destroyed: every write goes out at once, none deferred */

  /* socket only */
  fn_idle_timer_t* timer;
  double bytes_read;
  double bytes_written;
  struct fn_write_req_s* deferred;  /* a write held until the flush (its callback waits for the kernel) */
  fn_handle_t* flush_prev;
  fn_handle_t* flush_next;
};

/* latin1.c */
uint8_t* fn_latin1_to_utf8(uint8_t* buf, size_t len, size_t* out_len);

/* lifetime */
/* How a native function finds its handle (the data it is created with). A method of the classes reads `this`'s id
 * (FN_FIND_THIS: data NULL). A function of the binding takes a socket's id as its first argument: those called
 * per message (FN_FIND_ID: a bad id is a bad argument), and each socket method's twin, which the prototype's
 * method calls with `this[kId]` (FN_FIND_ID_AS_THIS: a bad id is a bad `this`; see lib/native.js). */
enum fn_find { FN_FIND_THIS = 0, FN_FIND_ID = 1, FN_FIND_ID_AS_THIS = 2 };
#define FN_FIND_MAX_ARGS 5
fn_handle_t* fn_handle_from(napi_env env, napi_callback_info info, size_t* argc, napi_value* argv);
fn_handle_t* fn_handle_find(const fn_env_t* fenv, uint64_t id);
bool fn_handle_init_env(fn_env_t* fenv);
fn_handle_rare_t* fn_handle_rare(fn_handle_t* h);
napi_value fn_handle_construct(napi_env env, napi_callback_info info, uint8_t kind);
napi_value fn_handle_new_socket(napi_env env, napi_callback_info info);
void fn_handle_close(fn_handle_t* h);
void fn_handle_close_all(fn_env_t* fenv);
void fn_env_check_done(fn_env_t* fenv);
napi_value fn_handle_close_js(napi_env env, napi_callback_info info);
void fn_handle_report_counts(napi_env env, const fn_handle_t* h, napi_value out);
bool fn_handle_set_close_cb(fn_handle_t* h, napi_value cb);
napi_value fn_handle_get_async_id(napi_env env, napi_callback_info info);
napi_value fn_handle_async_reset(napi_env env, napi_callback_info info);
napi_value fn_handle_active(napi_env env, napi_callback_info info);
napi_value fn_handle_ref(napi_env env, napi_callback_info info);
napi_value fn_handle_unref(napi_env env, napi_callback_info info);
napi_value fn_handle_has_ref(napi_env env, napi_callback_info info);
napi_value fn_handle_fd(napi_env env, napi_callback_info info);
napi_value fn_handle_is_pipe(napi_env env, napi_callback_info info);
napi_value fn_handle_getsockname(napi_env env, napi_callback_info info);
napi_value fn_handle_bind(napi_env env, napi_callback_info info);
napi_value fn_handle_open(napi_env env, napi_callback_info info);
int fn_sockaddr_from_js(napi_env env, napi_value ip, napi_value port, bool v6, struct sockaddr_storage* out);
napi_value fn_handle_getpeername(napi_env env, napi_callback_info info);

/* calling into JS from a libuv callback: open a scope, build arguments, call, close the scope */
bool fn_js_enter(fn_handle_t* h, napi_handle_scope* scope);
napi_value fn_call_js(fn_handle_t* h, enum fn_callback which, size_t argc, napi_value* argv);
void fn_call_js_status(fn_handle_t* h, enum fn_callback which, int status);

/* small value helpers */
napi_value fn_int(napi_env env, int64_t v);
napi_value fn_double(napi_env env, double v);
napi_value fn_bool(napi_env env, bool v);
napi_value fn_undefined(napi_env env);
int fn_sockaddr_to_js(napi_env env, const struct sockaddr* sa, napi_value out);

/* socket.c */
napi_value fn_socket_methods(napi_env env);
napi_value fn_socket_getters(napi_env env);
napi_value fn_socket_set_idle_timeout(napi_env env, napi_callback_info info);
/* server.c */
napi_value fn_server_class(napi_env env);
/* stream.c: the reading, writing, shutdown methods that the Socket class exposes */
napi_value fn_stream_read_start(napi_env env, napi_callback_info info);
napi_value fn_stream_read_stop(napi_env env, napi_callback_info info);
napi_value fn_stream_write_buffer(napi_env env, napi_callback_info info);
napi_value fn_stream_write_string(napi_env env, napi_callback_info info);
napi_value fn_stream_writev(napi_env env, napi_callback_info info);
napi_value fn_stream_shutdown(napi_env env, napi_callback_info info);
napi_value fn_stream_write_queue_size(napi_env env, napi_callback_info info);
napi_value fn_stream_set_onread_buffer(napi_env env, napi_callback_info info);
int fn_stream_start_reading(fn_handle_t* h);
void fn_stream_touch(fn_handle_t* h);
void fn_stream_flush(fn_handle_t* h);
void fn_stream_unschedule(fn_handle_t* h);
napi_value fn_stream_flush_all(napi_env env, napi_callback_info info);
napi_value fn_stream_send_deferred(napi_env env, napi_callback_info info);
/* sockopt.c: keep-alive probes, type of service, and reading options back (socketOptions) */
napi_value fn_sockopt_set_keep_alive(napi_env env, napi_callback_info info);
napi_value fn_sockopt_set_type_of_service(napi_env env, napi_callback_info info);
napi_value fn_sockopt_get_type_of_service(napi_env env, napi_callback_info info);
napi_value fn_sockopt_socket_options(napi_env env, napi_callback_info info);
/* bound.c: BoundSocket descriptors, SO_REUSEPORT */
napi_value fn_bound_bind_tcp(napi_env env, napi_callback_info info);
napi_value fn_bound_bind_pipe(napi_env env, napi_callback_info info);
napi_value fn_bound_close(napi_env env, napi_callback_info info);
napi_value fn_bound_adopt(napi_env env, napi_callback_info info);
napi_value fn_bound_detach(napi_env env, napi_callback_info info);
napi_value fn_bound_attach(napi_env env, napi_callback_info info);
void fn_bound_close_all(fn_env_t* fenv);
int fn_tcp_reuse_port(fn_handle_t* h, int family);

#endif
