// A tiny deterministic M-mode "shell" for the record/replay tests: prints a
// prompt, reads a line from the UART (polling), dirties pages in an arena and
// spins for a while depending on the line, prints a digest, and powers off on
// "poweroff -f". Built by build.sh into mini.bin (committed).
typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned char u8;

#define UART ((volatile u8 *)0x10000000UL)
#define FINISHER ((volatile u32 *)0x100000UL)
#define ARENA 0x80400000UL
#define ARENA_PAGES 24

static void putc(char c) { UART[0] = (u8)c; }
static void puts(const char *s) { while (*s) putc(*s++); }
static int getc(void) {
  while (!(UART[5] & 1)) {}
  return UART[0];
}
static void puthex(u64 v) {
  for (int i = 60; i >= 0; i -= 4) putc("0123456789abcdef"[(v >> i) & 15]);
}

static char line[256];

void main(void) {
  puts("mini guest\n");
  for (;;) {
    puts("$ ");
    int n = 0;
    for (;;) {
      int c = getc();
      if (c == '\r' || c == '\n') break;
      if (c == 8 || c == 127) { if (n) { n--; puts("\b \b"); } continue; }
      if (n < 255) { line[n++] = (char)c; putc((char)c); }
    }
    line[n] = 0;
    puts("\r\n");
    const char *off = "poweroff -f";
    int same = 1;
    for (int i = 0; i < 12; i++) if (line[i] != off[i]) { same = 0; break; }
    if (same) { puts("bye\n"); *FINISHER = 0x5555; for (;;) {} }
    u64 h = 1469598103934665603UL;
    for (int i = 0; i < n; i++) h = (h ^ (u8)line[i]) * 1099511628211UL;
    u64 spins = 400000 + (h % 600000);
    for (u64 k = 0; k < spins; k++) {
      if ((k & 1023) == 0) {
        u64 page = (h >> 17) % ARENA_PAGES;
        volatile u64 *p = (volatile u64 *)(ARENA + page * 4096 + ((k >> 10) & 511) * 8);
        *p = h + k;
      }
      h = h * 6364136223846793005UL + 1442695040888963407UL;
    }
    puts("ok ");
    puthex(h);
    puts("\n");
  }
}
