/* Latin-1 to UTF-8, in place. A string whose characters are all below 256 (JS checked) is copied out as
 * Latin-1 (a plain copy for V8's one-byte strings) and expanded here: sixteen bytes at a time where they are
 * all ASCII (copied) or all not (each becomes two bytes, interleaved), byte by byte where they mix.
 * V8's own UTF-8 writer goes character by character, which at 100 KB strings is a quarter of a write's time. */
#include "handle.h"
#include <string.h>

#if defined(__GNUC__) && !defined(__clang__)
typedef uint8_t fn_v16 __attribute__((vector_size(16)));
#define FN_LATIN1_VECTORS 1
#endif

/* Whether the bytes are all ASCII. */
static bool fn_latin1__ascii(const uint8_t* p, size_t len) {
  size_t i = 0;
  uint64_t any = 0;
  for (; i + 32 <= len; i += 32) {
    uint64_t w[4];
    memcpy(w, p + i, 32);
    if ((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ULL) return false;
  }
  for (; i < len; i++) any |= p[i];
  return (any & 0x80) == 0;
}

/* Byte by byte: n Latin-1 bytes to UTF-8 at out; returns the end. Safe in place under the rule below. */
static uint8_t* fn_latin1__bytes(const uint8_t* in, size_t n, uint8_t* out) {
  for (size_t i = 0; i < n; i++) {
    uint8_t c = in[i];
    if (c < 0x80) {
      *out++ = c;
    } else {
      *out++ = (uint8_t)(0xC0 | (c >> 6));
      *out++ = (uint8_t)(0x80 | (c & 0x3F));
    }
  }
  return out;
}

/* buf holds `len` Latin-1 bytes at buf + len (its second half; buf is 2 * len long). Returns where their
 * UTF-8 starts and sets *out_len: the bytes themselves when all are ASCII (no move), else buf, written from
 * its start. The output never passes the input not yet read: at input i (at buf + len + i) the output is at
 * most at buf + 2 * i. */
uint8_t* fn_latin1_to_utf8(uint8_t* buf, size_t len, size_t* out_len) {
  const uint8_t* in = buf + len;
  if (fn_latin1__ascii(in, len)) {
    *out_len = len;
    return buf + len;
  }
  uint8_t* out = buf;
  size_t i = 0;
#ifdef FN_LATIN1_VECTORS
  for (; i + 16 <= len; i += 16) {
    fn_v16 v;
    memcpy(&v, in + i, 16);
    fn_v16 top = v >> 7;  /* 1 where a byte is 0x80 or more */
    uint64_t halves[2];
    memcpy(halves, &top, 16);
    if ((halves[0] | halves[1]) == 0) {  /* all ASCII */
      memcpy(out, &v, 16);
      out += 16;
      continue;
    }
    if ((halves[0] & halves[1]) == 0x0101010101010101ULL) {  /* none ASCII: two bytes each */
      fn_v16 lead = (v >> 6) | 0xC0;
      fn_v16 cont = (v & 0x3F) | 0x80;
      fn_v16 lo = __builtin_shuffle(lead, cont,
                                    (fn_v16){0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23});
      fn_v16 hi = __builtin_shuffle(lead, cont,
                                    (fn_v16){8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31});
      memcpy(out, &lo, 16);
      memcpy(out + 16, &hi, 16);
      out += 32;
      continue;
    }
    out = fn_latin1__bytes(in + i, 16, out);  /* mixed */
  }
#endif
  out = fn_latin1__bytes(in + i, len - i, out);
  *out_len = (size_t)(out - buf);
  return buf;
}
