/*
 * Parquet page decoding kernels for WebAssembly: the RLE/bit-packed hybrid run decoder fused with
 * the dictionary gather, and PLAIN numeric values converted to the engine's storage.
 *
 * Built with snappy.c into one module by build.sh, so a page is decompressed, decoded and
 * gathered in the module's memory and JavaScript copies out only the finished values. Why not
 * JavaScript, which did this before: each of its passes (unpack the indices, check them, gather,
 * convert int64 to double) costs 2-7 ns a value there, one fused pass here about 1.
 *
 * Every read of the page is bounded by `end`, except the 8-byte loads of bit-packed values, which
 * may read up to 8 bytes past a run: the caller leaves SLACK readable bytes after each page. An
 * index past `max_index` (the dictionary's last) is an error, never a read outside the dictionary.
 */
#include <stdint.h>

typedef uint8_t u8;
typedef int32_t i32;
typedef uint32_t u32;
typedef int64_t i64;
typedef uint64_t u64;

#define ERR_RUN_HEADER -11 /* a run header is malformed or runs past the end of the page */
#define ERR_RUN_DATA -12   /* a run's values run past the end of the page */
#define ERR_INDEX -13      /* a dictionary index is not below the dictionary's length */
#define ERR_WIDTH -14      /* the bit width is above 32 */

/* What ERR_INDEX found: the offending index (JavaScript reads it for the message). */
static u32 bad_index;
__attribute__((export_name("bad_index"))) u32 get_bad_index(void) { return bad_index; }

static inline u64 load64(const u8 *p) {
  u64 v;
  __builtin_memcpy(&v, p, 8);
  return v;
}

/* How a run's indices are stored: as they are (string codes), or as the dictionary entries they name. */
enum { OUT_CODES = 0, OUT_F64 = 1, OUT_I32 = 2 };

/*
 * One always-inlined body per output kind and bit width: with both constant the unpacking shifts
 * and masks fold into constants (the approach of parquet-mr's generated bit packers).
 */
static inline __attribute__((always_inline)) int packed(const u8 *p, u32 bw, u32 take, u32 max_index, const void *dict, void *out, u32 at, int kind) {
  const u64 mask = bw >= 32 ? 0xffffffffull : ((1ull << bw) - 1);
  u32 bad = 0;
  for (u32 k = 0, bit = 0; k < take; k++, bit += bw) {
    u32 idx = (u32)((load64(p + (bit >> 3)) >> (bit & 7)) & mask);
    bad |= idx > max_index;
    if (kind == OUT_CODES) ((u32 *)out)[at + k] = idx;
    else if (bad) break; /* gathering: never read past the dictionary */
    else if (kind == OUT_F64) ((double *)out)[at + k] = ((const double *)dict)[idx];
    else ((i32 *)out)[at + k] = ((const i32 *)dict)[idx];
  }
  if (bad) {
    for (u32 k = 0, bit = 0; k < take; k++, bit += bw) {
      u32 idx = (u32)((load64(p + (bit >> 3)) >> (bit & 7)) & mask);
      if (idx > max_index) {
        bad_index = idx;
        break;
      }
    }
    return ERR_INDEX;
  }
  return 0;
}

#define WIDTH_CASE(W) \
  case W:             \
    return packed(p, W, take, max_index, dict, out, at, kind);

static inline __attribute__((always_inline)) int packed_any(const u8 *p, u32 bw, u32 take, u32 max_index, const void *dict, void *out, u32 at, int kind) {
  switch (bw) {
    WIDTH_CASE(1) WIDTH_CASE(2) WIDTH_CASE(3) WIDTH_CASE(4) WIDTH_CASE(5) WIDTH_CASE(6) WIDTH_CASE(7) WIDTH_CASE(8)
    WIDTH_CASE(9) WIDTH_CASE(10) WIDTH_CASE(11) WIDTH_CASE(12) WIDTH_CASE(13) WIDTH_CASE(14) WIDTH_CASE(15) WIDTH_CASE(16)
    WIDTH_CASE(17) WIDTH_CASE(18) WIDTH_CASE(19) WIDTH_CASE(20) WIDTH_CASE(21) WIDTH_CASE(22) WIDTH_CASE(23) WIDTH_CASE(24)
    default:
      return packed(p, bw, take, max_index, dict, out, at, kind);
  }
}

static inline __attribute__((always_inline)) int hybrid(const u8 *p, const u8 *end, u32 bw, u32 count, u32 max_index, const void *dict, void *out, int kind) {
  if (bw > 32) return ERR_WIDTH;
  const u32 byte_width = (bw + 7) >> 3;
  u32 i = 0;
  while (i < count) {
    /* ULEB128 run header */
    u32 header = 0;
    for (u32 shift = 0;; shift += 7) {
      if (p >= end || shift > 28) return ERR_RUN_HEADER;
      u32 b = *p++;
      header |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) break;
    }
    u32 left = count - i;
    if (header & 1) {
      /* bit-packed: groups of 8 values, LSB first */
      u32 groups = header >> 1;
      u64 values = (u64)groups * 8;
      u32 take = values < left ? (u32)values : left;
      u64 bytes = (u64)groups * bw;
      if ((u64)(end - p) < ((u64)take * bw + 7) / 8) return ERR_RUN_DATA;
      if (bw == 0) {
        for (u32 k = 0; k < take; k++) {
          if (kind == OUT_CODES) ((u32 *)out)[i + k] = 0;
          else if (kind == OUT_F64) ((double *)out)[i + k] = ((const double *)dict)[0];
          else ((i32 *)out)[i + k] = ((const i32 *)dict)[0];
        }
      } else {
        int rc = packed_any(p, bw, take, max_index, dict, out, i, kind);
        if (rc) return rc;
      }
      i += take;
      p = (u64)(end - p) < bytes ? end : p + bytes;
    } else {
      /* RLE: one value, little-endian in byte_width bytes */
      u32 n = header >> 1;
      if ((u32)(end - p) < byte_width) return ERR_RUN_DATA;
      u32 v = 0;
      for (u32 k = 0; k < byte_width; k++) v |= (u32)p[k] << (8 * k);
      p += byte_width;
      if (bw < 32) v &= (1u << bw) - 1;
      if (v > max_index) {
        bad_index = v;
        return ERR_INDEX;
      }
      u32 take = n < left ? n : left;
      if (kind == OUT_CODES) for (u32 k = 0; k < take; k++) ((u32 *)out)[i + k] = v;
      else if (kind == OUT_F64) {
        double d = ((const double *)dict)[v];
        for (u32 k = 0; k < take; k++) ((double *)out)[i + k] = d;
      } else {
        i32 d = ((const i32 *)dict)[v];
        for (u32 k = 0; k < take; k++) ((i32 *)out)[i + k] = d;
      }
      i += take;
    }
  }
  return 0;
}

/*
 * Decodes `count` hybrid-encoded dictionary indices from [p, end) with bit width `bw`, none above
 * `max_index` (a dictionary's length - 1; 2^32 - 1 for none): the indices themselves (kind 0), or the dictionary's doubles (1) or int32s (2) they
 * name. Returns 0 or a negative error.
 */
__attribute__((export_name("hybrid"))) int hybrid_export(const u8 *p, const u8 *end, u32 bw, u32 count, u32 max_index, const void *dict, void *out, int kind) {
  if (kind == OUT_F64) return hybrid(p, end, bw, count, max_index, dict, out, OUT_F64);
  if (kind == OUT_I32) return hybrid(p, end, bw, count, max_index, dict, out, OUT_I32);
  return hybrid(p, end, bw, count, max_index, dict, out, OUT_CODES);
}

/* PLAIN values → doubles: INT64 times `scale` (1 or 1000), INT32 signed or unsigned, DOUBLE, FLOAT. */
__attribute__((export_name("plain_i64_f64"))) void plain_i64_f64(const u8 *p, u32 n, double *out, double scale) {
  if (scale == 1.0) {
    for (u32 i = 0; i < n; i++) out[i] = (double)(i64)load64(p + 8 * i);
  } else {
    for (u32 i = 0; i < n; i++) out[i] = (double)(i64)load64(p + 8 * i) * scale;
  }
}

__attribute__((export_name("plain_i32_f64"))) void plain_i32_f64(const u8 *p, u32 n, double *out, int is_unsigned) {
  if (is_unsigned) {
    for (u32 i = 0; i < n; i++) {
      u32 v;
      __builtin_memcpy(&v, p + 4 * i, 4);
      out[i] = (double)v;
    }
  } else {
    for (u32 i = 0; i < n; i++) {
      i32 v;
      __builtin_memcpy(&v, p + 4 * i, 4);
      out[i] = (double)v;
    }
  }
}

__attribute__((export_name("plain_f32_f64"))) void plain_f32_f64(const u8 *p, u32 n, double *out) {
  for (u32 i = 0; i < n; i++) {
    float v;
    __builtin_memcpy(&v, p + 4 * i, 4);
    out[i] = (double)v;
  }
}

/* INT32 and DOUBLE keep their storage: moved (the page may be unaligned, the output is not). */
__attribute__((export_name("copy"))) void copy(const u8 *p, u32 bytes, u8 *out) { __builtin_memcpy(out, p, bytes); }
