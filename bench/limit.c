/*
 * limit.c: the physical limit for fastnet's benchmarks, in plain C on libuv.
 *
 * Does what Node's benchmark/net/net-c2s.js and net-pipe.js do, and a 64-byte ping-pong, in one process
 * on one libuv loop, over TCP on 127.0.0.1, under the same pacing as Node's streams: a writer has at most
 * 16 KiB queued (Node's highWaterMark); once over, it waits until its queue is empty (Node's 'drain').
 * Within that, it does the best C can: messages are gathered until 16 KiB are queued or the producer
 * stops, and go out together as one writev, tried synchronously first (uv_try_write), the rest queued
 * with uv_write. (Writing each message on its own, as core Node does, gives about 2x core at 64 B,
 * which an implementation that coalesces writes can beat: that would not be a limit.)
 *
 * usage: limit c2s|pipe|pingpong LEN DUR_SECONDS [WARMUP_SECONDS]
 * prints one line of JSON:
 *   c2s, pipe:  {"gbits": G}                 Gb/s counted like Node's benchmark: bytes received * 8 / 2^30 / s
 *                                            (pipe counts the bytes twice, as net-pipe.js does)
 *   pingpong:   {"rate": R, "p50": U, "p99": U}  round trips/s, latency in microseconds
 */
#include <uv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HWM (16 * 1024)     /* Node's default highWaterMark for sockets */
#define READ_SIZE 65536     /* Node reads in 64 KiB buffers */
#define MAX_SAMPLES (8 * 1024 * 1024)

#define CHECK(expr)                                                             \
  do {                                                                          \
    int r_ = (expr);                                                            \
    if (r_ < 0) {                                                               \
      fprintf(stderr, "limit: %s: %s (line %d)\n", #expr, uv_strerror(r_), __LINE__); \
      exit(1);                                                                  \
    }                                                                           \
  } while (0)

/* ---- a writer: gathered messages go out as one writev; at most HWM bytes queued ---- */

typedef struct {
  uv_buf_t *bufs;
  void **own;                   /* freed once written (may be NULL) */
  size_t n, cap, bytes;
} bufs_t;

typedef struct writer writer_t;
struct writer {
  uv_stream_t *stream;
  uv_write_t req;
  bufs_t gathered;              /* not yet handed to the kernel */
  bufs_t inflight;              /* handed to uv_write, waiting for its callback */
  void (*on_drain)(writer_t *); /* everything written, after a wait */
};

static void bufs_push(bufs_t *b, char *base, size_t len, void *owner) {
  if (b->n == b->cap) {
    b->cap = b->cap ? b->cap * 2 : 64;
    b->bufs = realloc(b->bufs, b->cap * sizeof *b->bufs);
    b->own = realloc(b->own, b->cap * sizeof *b->own);
    if (!b->bufs || !b->own) { fprintf(stderr, "limit: out of memory\n"); exit(1); }
  }
  b->bufs[b->n] = uv_buf_init(base, (unsigned int)len);
  b->own[b->n] = owner;
  b->n++;
  b->bytes += len;
}

static void bufs_release(bufs_t *b) {
  for (size_t i = 0; i < b->n; i++) free(b->own[i]);
  b->n = 0;
  b->bytes = 0;
}

static size_t writer_queued(const writer_t *w) {
  return w->gathered.bytes + w->inflight.bytes;
}

/* like stream.write(): gathers the message; returns 1 while less than HWM is queued */
static int writer_write(writer_t *w, char *base, size_t len, void *owner) {
  bufs_push(&w->gathered, base, len, owner);
  return writer_queued(w) < HWM;
}

static void on_write(uv_write_t *req, int status);

/* sends what is gathered; returns 1 when everything is written already (nothing waits for a callback) */
static int writer_flush(writer_t *w) {
  bufs_t *g = &w->gathered;
  if (w->inflight.n > 0) return 0;   /* on_write flushes the rest */
  if (g->n == 0) return 1;
  int r = uv_try_write(w->stream, g->bufs, (unsigned int)g->n);
  if (r == UV_EAGAIN) r = 0;
  CHECK(r);
  size_t done = (size_t)r, i = 0;
  while (i < g->n && done >= g->bufs[i].len) {
    done -= g->bufs[i].len;
    free(g->own[i]);
    i++;
  }
  if (i == g->n) {
    g->n = 0;
    g->bytes = 0;
    return 1;
  }
  /* the rest becomes the in-flight write */
  g->bufs[i].base += done;
  g->bufs[i].len -= (unsigned int)done;
  bufs_t rest = *g;
  memmove(rest.bufs, rest.bufs + i, (rest.n - i) * sizeof *rest.bufs);
  memmove(rest.own, rest.own + i, (rest.n - i) * sizeof *rest.own);
  rest.n -= i;
  rest.bytes = 0;
  for (size_t k = 0; k < rest.n; k++) rest.bytes += rest.bufs[k].len;
  *g = w->inflight;                  /* reuse the empty arrays for gathering */
  w->inflight = rest;
  w->req.data = w;
  CHECK(uv_write(&w->req, w->stream, w->inflight.bufs, (unsigned int)w->inflight.n, on_write));
  return 0;
}

static void on_write(uv_write_t *req, int status) {
  writer_t *w = req->data;
  CHECK(status);
  bufs_release(&w->inflight);
  if (writer_flush(w) && w->on_drain) w->on_drain(w);
}

/* ---- the benchmark ---- */

enum { C2S, PIPE, PINGPONG } mode;
static size_t len;
static double dur, warm;
static uv_loop_t *loop;
static uv_tcp_t server, client, conn;    /* conn: the server's side of the connection */
static writer_t cw, sw;                  /* client writer, server writer */
static char *chunk;
static uint64_t received, t_start;
static int measuring, server_paused;
static uv_timer_t timer;
static double *samples;
static size_t nsamples;
static uint64_t rt_count, ping_sent_at;
static size_t ping_got;

static void alloc_static(uv_handle_t *h, size_t size, uv_buf_t *buf) {
  static char rbuf[READ_SIZE];
  (void)h; (void)size;
  *buf = uv_buf_init(rbuf, sizeof rbuf);
}

static void alloc_owned(uv_handle_t *h, size_t size, uv_buf_t *buf) {
  (void)h; (void)size;
  *buf = uv_buf_init(malloc(READ_SIZE), READ_SIZE);
}

/* c2s and pipe: gather messages until 16 KiB are queued, send them; go on while they went out at once */
static void produce(writer_t *w) {
  do {
    while (writer_write(w, chunk, len, NULL)) {}
  } while (writer_flush(w));
}

static void ping(void) {
  ping_got = 0;
  ping_sent_at = uv_hrtime();
  writer_write(&cw, chunk, len, NULL);
  writer_flush(&cw);
}

/* client side reads: count bytes (c2s has the server count instead), or complete a ping-pong */
static void client_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
  (void)s; (void)buf;
  if (nread < 0) { if (nread == UV_EOF) return; CHECK((int)nread); }
  if (mode == PINGPONG) {
    ping_got += (size_t)nread;
    if (ping_got >= len) {
      if (measuring) {
        if (nsamples < MAX_SAMPLES) samples[nsamples++] = (double)(uv_hrtime() - ping_sent_at) / 1e3;
        rt_count++;
      }
      ping();
    }
  } else {
    received += (uint64_t)nread;
  }
}

/* server side reads: c2s counts and drops; pipe and pingpong echo */
static void server_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
  if (nread <= 0) {
    if (mode != C2S) free(buf->base);
    if (nread == 0 || nread == UV_EOF) return;
    CHECK((int)nread);
  }
  if (mode == C2S) {
    received += (uint64_t)nread;
    return;
  }
  writer_write(&sw, buf->base, (size_t)nread, buf->base);
  writer_flush(&sw);
  if (writer_queued(&sw) >= HWM) {   /* like src.pipe(dest): pause until dest drains */
    CHECK(uv_read_stop(s));
    server_paused = 1;
  }
}

static void server_drain(writer_t *w) {
  if (!server_paused) return;
  server_paused = 0;
  CHECK(uv_read_start(w->stream, alloc_owned, server_read));
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void on_end(uv_timer_t *t) {
  double secs = (double)(uv_hrtime() - t_start) / 1e9;
  (void)t;
  if (mode == PINGPONG) {
    qsort(samples, nsamples, sizeof *samples, cmp);
    double p50 = nsamples ? samples[(size_t)(0.50 * (nsamples - 1))] : 0;
    double p99 = nsamples ? samples[(size_t)(0.99 * (nsamples - 1))] : 0;
    printf("{\"rate\": %.1f, \"p50\": %.2f, \"p99\": %.2f}\n", (double)rt_count / secs, p50, p99);
  } else {
    double bytes = (double)received * (mode == PIPE ? 2 : 1);
    printf("{\"gbits\": %.4f}\n", bytes * 8 / (1024.0 * 1024 * 1024) / secs);
  }
  fflush(stdout);
  exit(0);
}

static void on_warm(uv_timer_t *t) {
  received = 0;
  rt_count = 0;
  nsamples = 0;
  measuring = 1;
  t_start = uv_hrtime();
  CHECK(uv_timer_start(t, on_end, (uint64_t)(dur * 1000), 0));
}

static void on_accept(uv_stream_t *srv, int status) {
  CHECK(status);
  CHECK(uv_tcp_init(loop, &conn));
  CHECK(uv_accept(srv, (uv_stream_t *)&conn));
  if (mode == PINGPONG) CHECK(uv_tcp_nodelay(&conn, 1));
  sw.stream = (uv_stream_t *)&conn;
  sw.on_drain = server_drain;
  CHECK(uv_read_start((uv_stream_t *)&conn, mode == C2S ? alloc_static : alloc_owned, server_read));
}

static void on_connect(uv_connect_t *req, int status) {
  (void)req;
  CHECK(status);
  cw.stream = (uv_stream_t *)&client;
  CHECK(uv_read_start((uv_stream_t *)&client, alloc_static, client_read));
  CHECK(uv_timer_init(loop, &timer));
  if (warm > 0) {
    CHECK(uv_timer_start(&timer, on_warm, (uint64_t)(warm * 1000), 0));
  } else {
    on_warm(&timer);
  }
  if (mode == PINGPONG) {
    CHECK(uv_tcp_nodelay(&client, 1));
    ping();
  } else {
    cw.on_drain = produce;
    produce(&cw);
  }
}

int main(int argc, char **argv) {
  struct sockaddr_in addr;
  struct sockaddr_storage name;
  int namelen = sizeof name;
  static uv_connect_t creq;

  if (argc < 4) {
    fprintf(stderr, "usage: limit c2s|pipe|pingpong LEN DUR_SECONDS [WARMUP_SECONDS]\n");
    return 2;
  }
  if (!strcmp(argv[1], "c2s")) mode = C2S;
  else if (!strcmp(argv[1], "pipe")) mode = PIPE;
  else if (!strcmp(argv[1], "pingpong")) mode = PINGPONG;
  else { fprintf(stderr, "limit: unknown mode %s\n", argv[1]); return 2; }
  len = (size_t)strtoull(argv[2], NULL, 10);
  dur = atof(argv[3]);
  warm = argc > 4 ? atof(argv[4]) : 0;
  if (len == 0 || dur <= 0) { fprintf(stderr, "limit: bad LEN or DUR\n"); return 2; }

  chunk = malloc(len);
  memset(chunk, 'x', len);
  if (mode == PINGPONG) samples = malloc(MAX_SAMPLES * sizeof *samples);

  loop = uv_default_loop();
  CHECK(uv_ip4_addr("127.0.0.1", 0, &addr));
  CHECK(uv_tcp_init(loop, &server));
  CHECK(uv_tcp_bind(&server, (const struct sockaddr *)&addr, 0));
  CHECK(uv_listen((uv_stream_t *)&server, 511, on_accept));
  CHECK(uv_tcp_getsockname(&server, (struct sockaddr *)&name, &namelen));
  CHECK(uv_tcp_init(loop, &client));
  CHECK(uv_tcp_connect(&creq, &client, (const struct sockaddr *)&name, on_connect));
  return uv_run(loop, UV_RUN_DEFAULT);
}
