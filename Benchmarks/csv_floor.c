/* The floor of Benchmarks/compare.sh: a bare libcsv parse of a CSV file, nothing else.
 * Reads the file in 1 MiB chunks, feeds them to csv_parse with empty callbacks that only count
 * fields and rows, and prints the counts. No decoding, no validation, no columns kept.
 *
 *   cc -O2 -o /tmp/csv_floor Benchmarks/csv_floor.c -lcsv     (Debian: libcsv-dev)
 *   /tmp/csv_floor FILE
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

struct counts { size_t fields, rows; };

static void on_field(void *s, size_t len, void *data) {
  (void)s; (void)len;
  ((struct counts *)data)->fields++;
}

static void on_row(int c, void *data) {
  (void)c;
  ((struct counts *)data)->rows++;
}

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: %s FILE\n", argv[0]); return 64; }
  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 2; }
  struct csv_parser p;
  if (csv_init(&p, 0) != 0) { fputs("csv_init failed\n", stderr); return 2; }
  enum { CHUNK = 1 << 20 };
  char *buf = malloc(CHUNK);
  struct counts n = {0, 0};
  size_t got;
  while ((got = fread(buf, 1, CHUNK, f)) > 0) {
    if (csv_parse(&p, buf, got, on_field, on_row, &n) != got) {
      fprintf(stderr, "%s: %s\n", argv[1], csv_strerror(csv_error(&p)));
      return 2;
    }
  }
  csv_fini(&p, on_field, on_row, &n);
  csv_free(&p);
  free(buf);
  fclose(f);
  printf("%zu fields, %zu rows (header included)\n", n.fields, n.rows);
  return 0;
}
