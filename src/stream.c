/* Reading, writing and shutdown on a connected stream (TCP or Unix socket).
 * Writes try uv_try_write first: a write that completes at once allocates nothing. Only the rest is queued,
 * holding a reference to the JS value instead of copying it (strings are encoded once, into native memory). */
#include "handle.h"
#include <string.h>
#ifndef _WIN32
#include <sys/ioctl.h>
#endif

typedef struct fn_write_req_s {
  uv_write_t req;
  napi_ref keep;          /* the Buffer (or array of Buffers) whose bytes libuv is sending */
  char* owned;            /* or bytes we own (an encoded string, a copy) */
  unsigned int nbufs;     /* a deferred write: the buffers to give uv_write at the flush */
  double uncount;         /* a deferred write core would have tried at once and not counted if it failed there */
  uv_buf_t bufs[];
} fn_write_req_t;

static void fn_stream__on_prepare(uv_prepare_t* prepare);

enum fn_encoding { FN_UTF8 = 0, FN_LATIN1 = 1, FN_UCS2 = 2, FN_LATIN1_AS_UTF8 = 3 };
#define FN_COUNT_FAILED 16  /* writeString's flag (see there) */

#define FN_STACK_STRING 16384

/* A new ArrayBuffer of `size` bytes, uninitialized, as Buffer.allocUnsafe's pool is: a read's chunk shows only
 * what the read wrote, the rest is reachable through its .buffer as in that pool (node --zero-fill-buffers
 * clears it). napi_create_arraybuffer would clear it every time: for the slab, 64 KiB of memset per 64 KiB of
 * small reads, ~15% of the user-space instructions of an echoed 1 KiB message. */
static napi_status fn_stream__new_arraybuffer(napi_env env, size_t size, void** data, napi_value* ab) {
  napi_value buffer;
  napi_typedarray_type type;
  size_t length, offset;
  napi_status status = napi_create_buffer(env, size, data, &buffer);
  if (status == napi_ok) status = napi_get_typedarray_info(env, buffer, &type, &length, data, ab, &offset);
  if (status == napi_ok && (length != size || offset != 0)) status = napi_generic_failure;
  return status;
}

/* A new read block of `size` bytes: V8 memory (an uninitialized Buffer's ArrayBuffer), so that a read handed
 * to JS is an ordinary ArrayBuffer that scavenges reclaim, as core's reads are. Memory V8 counts as external
 * (malloc'd and handed over) makes it run a mark-compact every few dozen ms at loopback rates. */
static void fn_stream__new_block(fn_env_t* fenv, size_t size) {
  napi_env env = fenv->env;
  napi_handle_scope scope;
  if (fenv->exiting || napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value ab;
  void* data;
  if (fn_stream__new_arraybuffer(env, size, &data, &ab) == napi_ok &&
      napi_create_reference(env, ab, 1, &fenv->block) == napi_ok) {
    fenv->block_data = data;
    fenv->block_size = size;
  }
  napi_close_handle_scope(env, scope);
}

/* Forget the block: JS took it, or the next read needs another size (V8 frees it once nothing holds it). */
static void fn_stream__drop_block(fn_env_t* fenv) {
  if (fenv->block) napi_delete_reference(fenv->env, fenv->block);
  fenv->block = NULL;
  fenv->block_data = NULL;
}

/* The size of h's next block: libuv's 64 KiB (FN_READ_BLOCK_MIN), unless h's last two reads filled their
 * blocks and the kernel holds more than FN_READ_BIG_QUEUE for it (FIONREAD): then FN_READ_BLOCK_MAX, which
 * the read fills (JS takes it whole: nothing unused kept alive, nothing copied). A 16 MiB transfer is read
 * in fewer reads and calls into JS per byte (A/B runs: c2s +7%, pipe +12%, s2c +18%; 1 MiB blocks did no
 * better and took 2.5x the page faults). Not for smaller backlogs: blocks over 64 KiB made 100 KB c2s up to
 * 2x slower in some runs, with 15-35x the page faults (glibc maps and unmaps them; see bench/README). */
static size_t fn_stream__block_size_for(fn_handle_t* h) {
#ifndef _WIN32
  int queued = 0;
  uv_os_fd_t fd;
  if (h->full_reads < 2) return FN_READ_BLOCK_MIN;
  if (uv_fileno(&h->uv.handle, &fd) == 0 && ioctl(fd, FIONREAD, &queued) == 0 && queued > FN_READ_BIG_QUEUE) {
    return FN_READ_BLOCK_MAX;
  }
  h->full_reads = 0;  /* a small backlog: ask again after two more full reads, not on every read */
#else
  FN_UNUSED(h);
#endif
  return FN_READ_BLOCK_MIN;
}

static void fn_stream__on_alloc(uv_handle_t* handle, size_t suggested, uv_buf_t* buf) {
  FN_UNUSED(suggested);  /* always 64 KiB (see block_size_for) */
  fn_handle_t* h = handle->data;
  if (h->rare && h->rare->onread_data) {
    *buf = (uv_buf_t){.base = h->rare->onread_data, .len = h->rare->onread_len};
  } else {
    fn_env_t* fenv = h->fenv;
    size_t size = fn_stream__block_size_for(h);
    if (fenv->block_data != NULL && fenv->block_size != size) fn_stream__drop_block(fenv);
    if (fenv->block_data == NULL) fn_stream__new_block(fenv, size);
    *buf = uv_buf_init(fenv->block_data, fenv->block_data ? fenv->block_size : 0);  /* 0: libuv reports ENOBUFS */
  }
}

/* A big read: JS gets the block itself (the read at offset 0), and the next read gets a new one, unless JS
 * answers true: nothing holds the chunk any more (it went straight through pipe() to one of our sockets,
 * whose kernel took it whole), so the next read lands in the same, still warm, memory. Up to half of a
 * handed-over block is unused, which a held chunk keeps alive; shorter reads are copied. */
static bool fn_stream__lend_block(fn_handle_t* h, napi_value nread) {
  fn_env_t* fenv = h->fenv;
  napi_env env = fenv->env;
  char* data = fenv->block_data;
  napi_value argv[3] = {nread, NULL, fn_int(env, 0)};
  if (napi_get_reference_value(env, fenv->block, &argv[1]) != napi_ok || argv[1] == NULL) return false;
  napi_value answer = fn_call_js(h, FN_ONREAD, 3, argv);
  bool unused = false, detached = true;
  bool reuse = answer != NULL && fenv->block_data == data && napi_get_value_bool(env, answer, &unused) == napi_ok &&
               unused && napi_is_detached_arraybuffer(env, argv[1], &detached) == napi_ok && !detached;
  if (!reuse && fenv->block_data == data) fn_stream__drop_block(fenv);
  return true;
}

/* A small read goes into the slab: *ab is the slab (a fresh one when this read does not fit the current one)
 * and *offset where the read starts in it. Allocates nothing but a new slab now and then (malloc, a backing
 * store and an ArrayBuffer per read cost more than the rest of a small read's trip to JS). */
static napi_status fn_stream__slab_read(fn_env_t* fenv, const char* base, size_t len, napi_value* ab,
                                        size_t* offset) {
  napi_env env = fenv->env;
  napi_status status;
  bool detached = false;
  if (fenv->slab && fenv->slab_used + len <= FN_SLAB_SIZE) {
    /* JS may have detached it (ArrayBuffer.prototype.transfer, a worker transfer of a read's .buffer): its
     * memory is no longer ours to write, so a new slab takes over. */
    status = napi_get_reference_value(env, fenv->slab, ab);
    if (status != napi_ok) return status;
    status = napi_is_detached_arraybuffer(env, *ab, &detached);
    if (status != napi_ok) return status;
  }
  if (fenv->slab == NULL || fenv->slab_used + len > FN_SLAB_SIZE || detached) {
    void* data;
    status = fn_stream__new_arraybuffer(env, FN_SLAB_SIZE, &data, ab);
    if (status != napi_ok) return status;
    if (fenv->slab) napi_delete_reference(env, fenv->slab);
    fenv->slab = NULL;
    status = napi_create_reference(env, *ab, 1, &fenv->slab);
    if (status != napi_ok) return status;
    fenv->slab_data = data;
    fenv->slab_used = 0;
  }
  memcpy(fenv->slab_data + fenv->slab_used, base, len);
  *offset = fenv->slab_used;
  fenv->slab_used += (len + 7) & ~(size_t)7;  /* each view starts 8-byte aligned, as Buffer's pool does */
  return napi_ok;
}

static void fn_stream__on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
  fn_handle_t* h = stream->data;
  fn_stream_touch(h);  /* every read callback, EOF included, restarts the idle timeout, as in core */
  if (nread == 0) return; /* EAGAIN: not EOF */
  if (nread < 0) {
    /* EOF or error: stop reading; JS decides what to do. */
    uv_read_stop(stream);
    h->reading = false;
  } else {
    h->bytes_read += (double)nread;
  }
  napi_env env = h->fenv->env;
  napi_handle_scope scope;
  if (!fn_js_enter(h, &scope)) return;
  napi_value argv[3];
  argv[0] = fn_int(env, nread);
  h->fenv->in_read++;
  if (nread > 0 && (h->rare == NULL || h->rare->onread_data == NULL)) {
    fn_env_t* fenv = h->fenv;
    size_t offset;
    if ((size_t)nread < fenv->block_size) h->full_reads = 0;
    else if (h->full_reads < 2) h->full_reads++;
    /* onread(nread, arrayBuffer, offset): a small read copied into the slab, or a big one in the block it
     * landed in; onread(nread, buffer): a copy */
    void* copy;
    if (nread <= FN_SLAB_READ_MAX &&
        fn_stream__slab_read(fenv, buf->base, (size_t)nread, &argv[1], &offset) == napi_ok) {
      argv[2] = fn_int(env, (int64_t)offset);
      fn_call_js(h, FN_ONREAD, 3, argv);
    } else if ((size_t)nread > fenv->block_size / 2 && buf->base == fenv->block_data &&
               fn_stream__lend_block(h, argv[0])) {
      /* JS had the read in the block itself */
    } else if (napi_create_buffer_copy(env, (size_t)nread, buf->base, &copy, &argv[1]) == napi_ok) {
      fn_call_js(h, FN_ONREAD, 2, argv);
    }
  } else {
    fn_call_js(h, FN_ONREAD, 1, argv);
  }
  h->fenv->in_read--;
  napi_close_handle_scope(env, scope);
}

/* Whether the stream has a descriptor. A TCP handle whose open() failed setting a remembered option (setNoDelay
 * before open, on a descriptor that is not a socket) has none, yet libuv marked it readable and writable: its
 * uv_read_start and uv_shutdown would abort on an assertion. */
static bool fn_stream__has_fd(fn_handle_t* h) {
  uv_os_fd_t fd;
  return uv_fileno(&h->uv.handle, &fd) == 0;
}

int fn_stream_start_reading(fn_handle_t* h) {
  if (h->state != FN_OPEN) return UV_EBADF;
  if (h->reading) return 0;
  if (!fn_stream__has_fd(h)) return UV_ENOTCONN;
  int err = uv_read_start(&h->uv.stream, fn_stream__on_alloc, fn_stream__on_read);
  if (err == 0) h->reading = true;
  return err;
}

napi_value fn_stream_read_start(napi_env env, napi_callback_info info) {
  fn_handle_t* h = fn_handle_from(env, info, NULL, NULL);
  if (h == NULL) return NULL;
  return fn_int(env, fn_stream_start_reading(h));
}

napi_value fn_stream_read_stop(napi_env env, napi_callback_info info) {
  fn_handle_t* h = fn_handle_from(env, info, NULL, NULL);
  if (h == NULL) return NULL;
  if (h->state != FN_OPEN) return fn_int(env, UV_EBADF);
  h->reading = false;
  return fn_int(env, uv_read_stop(&h->uv.stream));
}

/* setOnreadBuffer(buffer): later reads land in this buffer and onread gets only nread. */
napi_value fn_stream_set_onread_buffer(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  fn_handle_t* h = fn_handle_from(env, info, &argc, argv);
  if (h == NULL) return NULL;
  if (h->state != FN_OPEN) return NULL;  /* closed: its reference would never be released */
  void* data;
  size_t len;
  NAPI_CALL(env, napi_get_buffer_info(env, argv[0], &data, &len));
  fn_handle_rare_t* rare = fn_handle_rare(h);
  if (rare == NULL) {
    napi_throw_error(env, "ENOMEM", "fastnet: out of memory");
    return NULL;
  }
  if (rare->onread_buffer) napi_delete_reference(env, rare->onread_buffer);
  rare->onread_buffer = NULL;
  rare->onread_data = NULL;
  NAPI_CALL(env, napi_create_reference(env, argv[0], 1, &rare->onread_buffer));
  rare->onread_data = data;
  rare->onread_len = len;
  return NULL;
}

static void fn_stream__free_req(napi_env env, fn_write_req_t* wr) {
  if (wr->keep) napi_delete_reference(env, wr->keep);
  free(wr->owned);
  free(wr);
}

static void fn_stream__on_write(uv_write_t* req, int status) {
  fn_write_req_t* wr = (fn_write_req_t*)req;
  fn_handle_t* h = req->handle->data;
  if (status < 0 && status != UV_ECANCELED) h->bytes_written -= wr->uncount;  /* refused, not cut short by a close */
  fn_stream__free_req(h->fenv->env, wr);
  if (status == 0) fn_stream_touch(h);
  fn_call_js_status(h, FN_ONWRITE, status);
}

/* A request for bufs whose bytes stay alive through `keep` (a JS value) or `owned` (ours); borrowed bytes
 * (neither) are copied. With `hold`, the bufs are kept in the request, to be handed to uv_write later. */
static fn_write_req_t* fn_stream__new_req(napi_env env, const uv_buf_t* bufs, unsigned int nbufs, napi_value keep,
                                          char* owned, bool hold) {
  size_t total = 0;
  for (unsigned int i = 0; i < nbufs; i++) total += bufs[i].len;
  unsigned int held = hold ? (keep == NULL && owned == NULL ? 1 : nbufs) : 0;
  fn_write_req_t* wr = malloc(sizeof(*wr) + held * sizeof(uv_buf_t));
  if (wr == NULL) {
    free(owned);
    return NULL;
  }
  wr->keep = NULL;
  wr->owned = owned;
  wr->nbufs = held;
  wr->uncount = 0;
  if (keep == NULL && owned == NULL) {
    char* copy = malloc(total ? total : 1);
    if (copy == NULL) {
      free(wr);
      return NULL;
    }
    size_t at = 0;
    for (unsigned int i = 0; i < nbufs; i++) {
      if (bufs[i].len) memcpy(copy + at, bufs[i].base, bufs[i].len);  /* base may be NULL when empty */
      at += bufs[i].len;
    }
    wr->owned = copy;
    if (hold) wr->bufs[0] = (uv_buf_t){.base = copy, .len = total};
  } else {
    for (unsigned int i = 0; i < held; i++) wr->bufs[i] = bufs[i];
    if (keep != NULL && napi_create_reference(env, keep, 1, &wr->keep) != napi_ok) {
      free(wr->owned);
      free(wr);
      return NULL;
    }
  }
  return wr;
}

/* Queues bufs with uv_write; onwrite follows. Returns 1 or a negative uv error. */
static int fn_stream__queue(fn_handle_t* h, uv_buf_t* bufs, unsigned int nbufs, napi_value keep, char* owned) {
  napi_env env = h->fenv->env;
  bool copied = keep == NULL && owned == NULL;
  fn_write_req_t* wr = fn_stream__new_req(env, bufs, nbufs, keep, owned, false);
  if (wr == NULL) return UV_ENOMEM;
  uv_buf_t whole;
  if (copied) {  /* the copy is one buffer */
    size_t total = 0;
    for (unsigned int i = 0; i < nbufs; i++) total += bufs[i].len;
    whole = (uv_buf_t){.base = wr->owned, .len = total};
    bufs = &whole;
    nbufs = 1;
  }
  int err = uv_write(&wr->req, &h->uv.stream, bufs, nbufs, fn_stream__on_write);
  if (err) {
    fn_stream__free_req(env, wr);
    return err;
  }
  return 1;
}

/* Sends bufs now as far as the kernel takes them and queues the rest: 0 (all sent), 1 (queued) or an error. */
static int fn_stream__send(fn_handle_t* h, uv_buf_t* bufs, unsigned int nbufs, size_t total, napi_value keep,
                           char* owned) {
  int n = uv_try_write(&h->uv.stream, bufs, nbufs);
  if (n >= 0 && (size_t)n == total) {
    free(owned);
    return 0;
  }
  if (n < 0 && n != UV_EAGAIN && n != UV_ENOSYS) {
    free(owned);
    return n;
  }
  size_t sent = n > 0 ? (size_t)n : 0;
  while (nbufs > 0 && sent >= bufs[0].len) {
    sent -= bufs[0].len;
    bufs++;
    nbufs--;
  }
  if (nbufs > 0 && sent > 0) {
    bufs[0].base += sent;
    bufs[0].len -= sent;
  }
  return fn_stream__queue(h, bufs, nbufs, keep, owned);
}

/* Small messages, one syscall per loop iteration and socket, without reporting anything early: the first
 * write of an iteration goes to the kernel at once, as in core (a process killed right after it still
 * delivers it). A second one is deferred: held until the env's prepare callback (just before the loop polls),
 * and its callback runs only once the kernel has it (fn_stream__flush_before_poll). Meanwhile the Writable
 * buffers what follows and hands it over as one writev, as core's does whenever a write goes async.
 * A write of FN_HOLD_MAX bytes or more goes at once: it fills the default highWaterMark by itself, so a writer
 * that heeds write()'s false gathers nothing behind it, and holding it only costs a request and a callback.
 * Writes made in a read callback go at once (see fn_stream__write) and mark nothing: an echo or a reply comes
 * with each read, and marking it started and stopped the prepare handle every iteration for nothing. */
static void fn_stream__schedule(fn_handle_t* h) {
  if (h->flush_scheduled) return;
  fn_env_t* fenv = h->fenv;
  h->flush_scheduled = true;
  h->flush_prev = NULL;
  h->flush_next = fenv->flush_list;
  if (fenv->flush_list) fenv->flush_list->flush_prev = h;
  fenv->flush_list = h;
  if (!uv_is_active((uv_handle_t*)&fenv->flush_prepare)) uv_prepare_start(&fenv->flush_prepare, fn_stream__on_prepare);
}

void fn_stream_unschedule(fn_handle_t* h) {
  if (!h->flush_scheduled) return;
  if (h->flush_prev) h->flush_prev->flush_next = h->flush_next;
  else h->fenv->flush_list = h->flush_next;
  if (h->flush_next) h->flush_next->flush_prev = h->flush_prev;
  h->flush_prev = h->flush_next = NULL;
  h->flush_scheduled = false;
}

/* Hands the deferred write to libuv: it writes at once if it can, and calls back (onwrite) from the loop. */
void fn_stream_flush(fn_handle_t* h) {
  fn_stream_unschedule(h);
  fn_write_req_t* wr = h->deferred;
  if (wr == NULL) return;
  h->deferred = NULL;
  int err = uv_write(&wr->req, &h->uv.stream, wr->bufs, wr->nbufs, fn_stream__on_write);
  if (err) {
    /* Not expected: the stream was open and writable when the write was deferred, and shutdown and close
     * flush before they change that. Still, the write's own callback hears of it. */
    h->bytes_written -= wr->uncount;
    fn_stream__free_req(h->fenv->env, wr);
    fn_call_js_status(h, FN_ONWRITE, err);
  }
}


/* Drops the first `sent` bytes of a held write (the kernel has them); some bytes remain. */
static void fn_stream__skip(fn_write_req_t* wr, size_t sent) {
  unsigned int first = 0;
  while (first < wr->nbufs && sent >= wr->bufs[first].len) sent -= wr->bufs[first++].len;
  wr->nbufs -= first;
  memmove(wr->bufs, wr->bufs + first, wr->nbufs * sizeof(uv_buf_t));
  wr->bufs[0].base += sent;
  wr->bufs[0].len -= sent;
}

/* Sends h's deferred write now, as far as the kernel takes it. Returns 1 if it went whole (its request is gone,
 * and JS completes the write itself), 0 if the kernel took part or none (the rest is handed to libuv as by a
 * flush), or the kernel's error (the request is gone: JS reports the error to the write itself). */
static int fn_stream__send_deferred_now(fn_handle_t* h, bool complete_at_flush) {
  fn_stream_unschedule(h);
  fn_write_req_t* wr = h->deferred;
  if (wr == NULL) return 0;
  h->deferred = NULL;
  size_t total = 0;
  for (unsigned int i = 0; i < wr->nbufs; i++) total += wr->bufs[i].len;
  int n = uv_try_write(&h->uv.stream, wr->bufs, wr->nbufs);
  if (n >= 0 && (size_t)n == total && complete_at_flush) {
    /* Sent, but completed when the loop polls, as it would have been: an empty write stands in for it. */
    wr->nbufs = 1;
    wr->bufs[0] = uv_buf_init((char*)"", 0);
    wr->uncount = 0;
    h->deferred = wr;
    fn_stream__schedule(h);
    return 0;
  }
  if ((n >= 0 && (size_t)n == total) || (n < 0 && n != UV_EAGAIN)) {
    if (n < 0) h->bytes_written -= wr->uncount;
    fn_stream__free_req(h->fenv->env, wr);
    return n < 0 ? n : 1;
  }
  if (n > 0) wr->uncount = 0;  /* core counts a write the kernel took part of */
  fn_stream__skip(wr, n > 0 ? (size_t)n : 0);
  h->deferred = wr;
  fn_stream_flush(h);  /* the rest as far as the kernel takes it, as core's queued writes */
  return 0;
}

/* The flush before the loop polls: h's deferred write goes to the kernel at once as far as it takes it, and
 * completes here when it took it whole or refused it; only a rest goes through uv_write. (uv_write completes even
 * a write it sent whole from its pending queue, which makes the coming poll one that does not wait, and re-arms
 * the descriptor in epoll when the write queue drains: two syscalls more per flush, ~1 us each on some VMs.)
 * Its callback may write again; the caller flushes until nothing is scheduled, so the poll never finds a write
 * held. */
static void fn_stream__flush_before_poll(fn_handle_t* h) {
  fn_write_req_t* wr = h->deferred;
  if (wr != NULL && wr->nbufs == 1 && wr->bufs[0].len == 0) {
    /* the empty stand-in end() left (see sendDeferred): it completes after the poll, as it would have */
    fn_stream_flush(h);
    return;
  }
  int result = fn_stream__send_deferred_now(h, false);
  if (result == 0) return;  /* nothing held, or a rest given to uv_write */
  if (result == 1) fn_stream_touch(h);
  fn_call_js_status(h, FN_ONWRITE, result == 1 ? 0 : result);
}

/* Completions that may write again are bounded per flush, as a writer fed by them would otherwise keep the
 * loop here for as long as the kernel takes its writes; past the bound, writes go out by uv_write as before,
 * to complete after the poll. */
#define FN_FLUSH_COMPLETIONS_MAX 1024

static void fn_stream__on_prepare(uv_prepare_t* prepare) {
  fn_env_t* fenv = prepare->data;
  for (unsigned int flushed = 0; fenv->flush_list; flushed++) {
    if (flushed < FN_FLUSH_COMPLETIONS_MAX) fn_stream__flush_before_poll(fenv->flush_list);
    else fn_stream_flush(fenv->flush_list);
  }
  uv_prepare_stop(prepare);
}

/* sendDeferred(ending): end() (ending) or destroy() is coming. In core, writes made in one go reach the kernel one
 * by one as they are made (a destroy drops only what the kernel would not take, an end finds the stream errored
 * if one failed); here the second is deferred and the Writable buffers the rest behind it. So the deferred write
 * goes now. Returns the error the kernel gave it (which core's write would have met at once: JS reports it so),
 * or for a destroy 1 if it went whole (JS then completes it, the Writable hands its buffer over, and from now on
 * every write goes out at once), else 0. Before an end, a write sent whole still completes when the loop polls,
 * as it would have: what follows it keeps its pace (Node's test-net-throttle reads it in two parts). */
napi_value fn_stream_send_deferred(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  fn_handle_t* h = fn_handle_from(env, info, &argc, argv);
  if (h == NULL) return NULL;
  bool ending = false;
  if (argc >= 1 && napi_get_value_bool(env, argv[0], &ending) != napi_ok) ending = false;
  int result = 0;
  if (h->state == FN_OPEN) {
    if (!ending) h->write_through = true;
    result = fn_stream__send_deferred_now(h, ending);
  }
  return fn_int(env, result);
}

/* flushAll(): the process is exiting and no loop iteration comes. Each deferred write goes to the kernel now,
 * and later writes go out at once. Returns the handles whose deferred write was sent whole: JS completes
 * them, so that what their Writable buffered behind them is written too. */
napi_value fn_stream_flush_all(napi_env env, napi_callback_info info) {
  FN_UNUSED(info);
  fn_env_t* fenv;
  napi_value done;
  uint32_t count = 0;
  NAPI_CALL(env, napi_get_instance_data(env, (void**)&fenv));
  NAPI_CALL(env, napi_create_array(env, &done));
  fenv->exit_flushed = true;
  while (fenv->flush_list) {
    fn_handle_t* h = fenv->flush_list;
    if (fn_stream__send_deferred_now(h, false) != 1) continue;  /* (an error: the process is exiting, no one to tell) */
    napi_value self;
    if (napi_get_reference_value(env, h->self, &self) == napi_ok && self != NULL) {
      NAPI_CALL(env, napi_set_element(env, done, count++, self));
    }
  }
  return done;
}

/* A JS write: 0 (the kernel has it all), 1 (onwrite follows) or an error. Borrowed bytes (no keep, no owned)
 * are copied if they must wait. */
static int fn_stream__write(fn_handle_t* h, uv_buf_t* bufs, unsigned int nbufs, napi_value keep, char* owned,
                            bool count_failed) {
  if (h->state != FN_OPEN) {
    free(owned);
    return UV_EBADF;
  }
  fn_stream_touch(h);  /* every write restarts the idle timeout, an empty one too, as in core */
  size_t total = 0;
  for (unsigned int i = 0; i < nbufs; i++) total += bufs[i].len;
  if (total == 0) {
    /* Nothing to send, yet core asks the kernel (a write of zero bytes), so a write to a connection already
     * broken fails (EPIPE) here too. Not behind bytes still queued: they go first, and this has nothing. */
    int n = nbufs == 0 || h->deferred != NULL || h->uv.stream.write_queue_size != 0 ? 0 :
            uv_try_write(&h->uv.stream, bufs, nbufs);
    free(owned);
    return n < 0 && n != UV_EAGAIN ? n : 0;
  }
  h->bytes_written += (double)total;  /* as core's: what was handed to a write (see count_failed) */
  if (h->flush_scheduled && total < FN_HOLD_MAX && !h->write_through && h->fenv->in_read == 0 &&
      h->deferred == NULL && h->uv.stream.write_queue_size == 0 && uv_is_writable(&h->uv.stream)) {
    fn_write_req_t* wr = fn_stream__new_req(h->fenv->env, bufs, nbufs, keep, owned, true);
    if (wr == NULL) return UV_ENOMEM;
    /* Core tries it at once; when the connection is broken already, it fails there and core does not count a
     * short string's bytes: neither do we when the flush finds it so. */
    if (!count_failed) wr->uncount = (double)total;
    h->deferred = wr;
    return 1;
  }
  fn_stream_flush(h);  /* a deferred write goes first (only reached when the native API is misused) */
  int r = fn_stream__send(h, bufs, nbufs, total, keep, owned);
  if (r < 0 && !count_failed) h->bytes_written -= (double)total;
  else if (r == 0 && !h->fenv->exit_flushed && !h->write_through && h->fenv->in_read == 0) fn_stream__schedule(h);
  return r;
}

/* writeBuffer(buffer[, length]): with a length, the first `length` bytes of a scratch buffer that JS reuses at
 * once: they are copied if the write must wait. */
napi_value fn_stream_write_buffer(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  fn_handle_t* h = fn_handle_from(env, info, &argc, argv);
  if (h == NULL) return NULL;
  void* data;
  size_t len;
  if (argc < 1 || napi_get_buffer_info(env, argv[0], &data, &len) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "fastnet: writeBuffer expects a Buffer");
    return NULL;
  }
  napi_value keep = argv[0];
  int64_t length;
  if (argc > 1 && napi_get_value_int64(env, argv[1], &length) == napi_ok) {
    if (length < 0 || (uint64_t)length > len) {
      napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "fastnet: writeBuffer length out of range");
      return NULL;
    }
    len = (size_t)length;
    keep = NULL;  /* borrowed */
  }
  uv_buf_t buf = {.base = data, .len = len};  /* not uv_buf_init: its length is an unsigned int */
  return fn_int(env, fn_stream__write(h, &buf, 1, keep, NULL, true));
}

/* Encodes a string into `stack` when it fits, else into malloc'd memory (*heap), in one pass: the buffer is
 * sized from the string's length (UTF-8 takes at most 3 bytes per UTF-16 unit). FN_LATIN1_AS_UTF8 encodes
 * the first `latin1` characters of str (all below 256) from their Latin-1 copy, then `rest` (a string, or
 * NULL) as UTF-8. */
static napi_status fn_stream__encode(napi_env env, napi_value str, int encoding, size_t latin1, napi_value rest,
                                     char* stack, size_t stack_len, char** out, size_t* out_len, char** heap) {
  size_t units, rest_units = 0;
  *heap = NULL;
  napi_status s = napi_get_value_string_utf16(env, str, NULL, 0, &units);
  if (s != napi_ok) return s;
  if (encoding == FN_LATIN1_AS_UTF8) {
    if (latin1 > units) latin1 = units;
    if (rest != NULL && (s = napi_get_value_string_utf16(env, rest, NULL, 0, &rest_units)) != napi_ok) return s;
  }
  size_t size = (encoding == FN_LATIN1_AS_UTF8 ? latin1 * 2 + rest_units * 3
                 : encoding == FN_UCS2 ? units * 2 : encoding == FN_LATIN1 ? units : units * 3) + 2;
  char* dst = size <= stack_len ? stack : (*heap = malloc(size));
  if (dst == NULL) return napi_generic_failure;
  size_t len;
  if (encoding == FN_LATIN1_AS_UTF8) {
    /* the Latin-1 copy goes to the second half of its part of dst, and expands from the start */
    s = napi_get_value_string_latin1(env, str, dst + latin1, latin1 + 1, &len);
    if (s == napi_ok) dst = (char*)fn_latin1_to_utf8((uint8_t*)dst, len, &len);
    if (s == napi_ok && rest != NULL) {  /* after the UTF-8 so far (room: rest_units * 3 + 2 bytes) */
      size_t more;
      s = napi_get_value_string_utf8(env, rest, dst + len, rest_units * 3 + 2, &more);
      len += more;
    }
  } else if (encoding == FN_UCS2) {
    s = napi_get_value_string_utf16(env, str, (char16_t*)dst, units + 1, &len);
    len *= 2;
  } else if (encoding == FN_LATIN1) {
    s = napi_get_value_string_latin1(env, str, dst, size, &len);
  } else {
    s = napi_get_value_string_utf8(env, str, dst, size, &len);
  }
  *out = dst;
  *out_len = len;
  return s;
}

/* writeString(string, encoding[, latin1, rest]): encoding 0 utf8, 1 latin1 (also ascii), 2 ucs2; 3 utf8 of a
 * string whose first `latin1` characters (all of them when omitted) are below 256, followed by the string
 * `rest` if given; plus FN_COUNT_FAILED when bytesWritten keeps the bytes of a write that fails at once (core
 * drops them for a single string write it sized at most 16 KiB, and keeps all others). Returns like write. */
napi_value fn_stream_write_string(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  fn_handle_t* h = fn_handle_from(env, info, &argc, argv);
  if (h == NULL) return NULL;
  int32_t encoding = 0;
  if (argc > 1) napi_get_value_int32(env, argv[1], &encoding);
  bool count_failed = (encoding & FN_COUNT_FAILED) != 0;
  encoding &= ~FN_COUNT_FAILED;
  int64_t latin1 = INT64_MAX;
  napi_value rest = NULL;
  if (encoding == FN_LATIN1_AS_UTF8 && argc > 3) {
    napi_valuetype type;
    if (napi_get_value_int64(env, argv[2], &latin1) != napi_ok || latin1 < 0 ||
        napi_typeof(env, argv[3], &type) != napi_ok || type != napi_string) {
      napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "fastnet: writeString expects a length and a string");
      return NULL;
    }
    rest = argv[3];
  }
  char stack[FN_STACK_STRING];
  char *data, *heap;
  size_t len;
  if (fn_stream__encode(env, argv[0], encoding, (size_t)latin1, rest, stack, sizeof(stack), &data, &len,
                        &heap) != napi_ok) {
    free(heap);
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "fastnet: writeString expects a string");
    return NULL;
  }
  uv_buf_t buf = {.base = data, .len = len};
  /* stack bytes are copied if they must wait */
  return fn_int(env, fn_stream__write(h, &buf, 1, NULL, heap, count_failed));
}

/* writev(arrayOfBuffers): one vectored write for corked or queued chunks. */
napi_value fn_stream_writev(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  fn_handle_t* h = fn_handle_from(env, info, &argc, argv);
  if (h == NULL) return NULL;
  uint32_t count;
  NAPI_CALL(env, napi_get_array_length(env, argv[0], &count));
  if (count == 0) return fn_int(env, h->state == FN_OPEN ? 0 : UV_EBADF);  /* libuv asserts nbufs > 0 */
  uv_buf_t stack_bufs[64];
  uv_buf_t* bufs = count <= 64 ? stack_bufs : malloc(sizeof(uv_buf_t) * count);
  if (bufs == NULL) return fn_int(env, UV_ENOMEM);
  for (uint32_t i = 0; i < count; i++) {
    napi_value item;
    void* data;
    size_t len;
    if (napi_get_element(env, argv[0], i, &item) != napi_ok ||
        napi_get_buffer_info(env, item, &data, &len) != napi_ok) {
      if (bufs != stack_bufs) free(bufs);
      napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "fastnet: writev expects an array of Buffers");
      return NULL;
    }
    bufs[i] = (uv_buf_t){.base = data, .len = len};
  }
  int r = fn_stream__write(h, bufs, count, argv[0], NULL, true);
  if (bufs != stack_bufs) free(bufs);
  return fn_int(env, r);
}

napi_value fn_stream_write_queue_size(napi_env env, napi_callback_info info) {
  fn_handle_t* h = fn_handle_from(env, info, NULL, NULL);
  if (h == NULL) return NULL;
  return fn_double(env, h->state == FN_OPEN ? (double)h->uv.stream.write_queue_size : 0);
}

static void fn_stream__on_shutdown(uv_shutdown_t* req, int status) {
  fn_handle_t* h = req->data;
  free(req);
  fn_call_js_status(h, FN_ONSHUTDOWN, status);
}

/* shutdown(): half-close after queued writes; onshutdown(status) follows. */
napi_value fn_stream_shutdown(napi_env env, napi_callback_info info) {
  fn_handle_t* h = fn_handle_from(env, info, NULL, NULL);
  if (h == NULL) return NULL;
  if (h->state != FN_OPEN) return fn_int(env, UV_EBADF);
  if (!fn_stream__has_fd(h)) return fn_int(env, UV_ENOTCONN);
  fn_stream_flush(h);
  uv_shutdown_t* req = malloc(sizeof(*req));
  if (req == NULL) return fn_int(env, UV_ENOMEM);
  req->data = h;
  int err = uv_shutdown(req, &h->uv.stream, fn_stream__on_shutdown);
  if (err) free(req);
  return fn_int(env, err);
}
