/*
 * Snappy block decompression for WebAssembly (the raw format Parquet pages use:
 * https://github.com/google/snappy/blob/main/format_description.txt).
 *
 * Built by build.sh into snappy-wasm.ts. Why not hysnappy, which this replaces: its copies go a
 * byte at a time (no bulk memory, no 8-byte moves) and every call copies the output out of the
 * module's memory. Here literals and matches move 8 bytes at a time, long literals with
 * memory.copy, and the caller reads the output where it was written.
 *
 * The caller places the input with SLACK readable bytes after it and gives the output SLACK
 * writable bytes past its end: short copies may read and write up to 16 bytes beyond the bytes
 * they are asked for, inside those margins, and every later byte is rewritten before it is read.
 * Every length and offset is checked against the input and output bounds, so corrupt input
 * returns an error code and never writes outside [dst, dst + dst_len + SLACK).
 */
#include <stdint.h>

typedef uint8_t u8;
typedef uint32_t u32;
typedef uint64_t u64;

#define OK 0
#define ERR_LENGTH -1   /* the leading varint is malformed or differs from dst_len */
#define ERR_SHORT -2    /* the output ends before dst_len bytes were written */
#define ERR_INPUT -3    /* an element runs past the end of the input */
#define ERR_OUTPUT -4   /* an element writes past dst_len */
#define ERR_OFFSET -5   /* a copy refers to before the start of the output (or offset 0) */

static inline u64 load64(const u8 *p) {
  u64 v;
  __builtin_memcpy(&v, p, 8);
  return v;
}
static inline void store64(u8 *p, u64 v) { __builtin_memcpy(p, &v, 8); }
static inline u32 load32(const u8 *p) {
  u32 v;
  __builtin_memcpy(&v, p, 4);
  return v;
}

static const u32 MASKS[5] = {0, 0xff, 0xffff, 0xffffff, 0xffffffff};

__attribute__((export_name("uncompress"))) int uncompress(const u8 *ip, u32 src_len, u8 *op, u32 dst_len) {
  const u8 *ip_end = ip + src_len;
  /* leading varint: the uncompressed length */
  u32 declared = 0;
  for (u32 shift = 0;; shift += 7) {
    if (ip >= ip_end || shift > 28) return ERR_LENGTH;
    u32 b = *ip++;
    declared |= (b & 0x7f) << shift;
    if ((b & 0x80) == 0) break;
  }
  if (declared != dst_len) return ERR_LENGTH;
  u8 *const base = op;
  u8 *const op_end = op + dst_len;
  while (ip < ip_end) {
    u32 tag = *ip++;
    if ((tag & 3) == 0) {
      u32 len = tag >> 2;
      if (len >= 60) {
        u32 extra = len - 59;
        if ((u32)(ip_end - ip) < extra) return ERR_INPUT;
        len = load32(ip) & MASKS[extra];
        ip += extra;
      }
      len += 1;
      if (len == 0 || (u32)(ip_end - ip) < len) return ERR_INPUT; /* len == 0: 2^32 wrapped */
      if ((u32)(op_end - op) < len) return ERR_OUTPUT;
      if (len <= 16) {
        store64(op, load64(ip));
        store64(op + 8, load64(ip + 8));
      } else {
        __builtin_memcpy(op, ip, len);
      }
      op += len;
      ip += len;
      continue;
    }
    u32 len, offset;
    if ((tag & 3) == 1) {
      if (ip >= ip_end) return ERR_INPUT;
      len = ((tag >> 2) & 7) + 4;
      offset = ((tag >> 5) << 8) | *ip++;
    } else if ((tag & 3) == 2) {
      if ((u32)(ip_end - ip) < 2) return ERR_INPUT;
      len = (tag >> 2) + 1;
      offset = (u32)ip[0] | ((u32)ip[1] << 8);
      ip += 2;
    } else {
      if ((u32)(ip_end - ip) < 4) return ERR_INPUT;
      len = (tag >> 2) + 1;
      offset = load32(ip);
      ip += 4;
    }
    if (offset == 0 || offset > (u32)(op - base)) return ERR_OFFSET;
    if ((u32)(op_end - op) < len) return ERR_OUTPUT;
    const u8 *from = op - offset;
    if (offset >= 8) {
      /* each 8-byte read ends at or before the write position: bytes already final */
      u8 *d = op;
      u8 *const e = op + len;
      do {
        store64(d, load64(from));
        d += 8;
        from += 8;
      } while (d < e);
    } else {
      /* overlapping: the pattern repeats every `offset` bytes */
      for (u32 k = 0; k < len; k++) op[k] = from[k];
    }
    op += len;
  }
  return op == op_end ? OK : ERR_SHORT;
}
