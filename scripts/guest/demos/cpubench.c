/*
 * cpubench: CPU-bound guest workload for MIPS measurements and replay tests.
 *
 * usage: cpubench [iterations]     (default 80; each iteration is about
 *                                    3.9 million user-mode instructions, so
 *                                    the default run is about 315 million)
 *
 * Each iteration runs an integer kernel (xorshift PRNG feeding a small
 * multiply/rotate hash over a 4 KiB table) and a floating-point kernel (a
 * Mandelbrot strip with double arithmetic and sqrt).  Only +, -, *, / and
 * sqrt are used on doubles, all correctly rounded by IEEE 754, so the result
 * is identical on every conforming machine.  Output is one line of checksums.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#define TABLE_WORDS 512

static uint64_t table[TABLE_WORDS];

static uint64_t xorshift64(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

static uint64_t integer_kernel(uint64_t *rng)
{
	uint64_t h = 0x9e3779b97f4a7c15ull;
	for (int i = 0; i < 150000; i++) {
		uint64_t r = xorshift64(rng);
		uint64_t *slot = &table[r % TABLE_WORDS];
		*slot = (*slot + r) * 0xff51afd7ed558ccdull;
		h ^= *slot;
		h = (h << 27) | (h >> 37);
		h = h * 5 + 0x52dce729;
		if (r & 1)
			h += (uint64_t)((int64_t)r / 7);
		else
			h -= r % 1000003;
	}
	return h;
}

static double fp_kernel(int iteration)
{
	double sum = 0.0;
	double ci = -1.0 + (iteration % 16) * 0.125;
	for (int px = 0; px < 256; px++) {
		double cr = -2.0 + px * (2.5 / 256.0);
		double zr = 0.0, zi = 0.0;
		int n = 0;
		while (n < 64 && zr * zr + zi * zi <= 4.0) {
			double t = zr * zr - zi * zi + cr;
			zi = 2.0 * zr * zi + ci;
			zr = t;
			n++;
		}
		sum += n + sqrt(zr * zr + zi * zi) / (1.0 + n);
	}
	return sum;
}

int main(int argc, char **argv)
{
	long iterations = 80;
	if (argc > 1) {
		char *end;
		iterations = strtol(argv[1], &end, 10);
		if (*end != '\0' || iterations < 0) {
			fprintf(stderr, "usage: cpubench [iterations]\n");
			return 2;
		}
	}

	uint64_t rng = 0x0123456789abcdefull;
	uint64_t ichk = 0;
	double fsum = 0.0;
	for (int i = 0; i < TABLE_WORDS; i++)
		table[i] = (uint64_t)i * 0x100000001b3ull;

	for (long it = 0; it < iterations; it++) {
		ichk = ichk * 31 + integer_kernel(&rng);
		fsum += fp_kernel((int)it);
	}

	uint64_t fbits;
	memcpy(&fbits, &fsum, sizeof fbits);
	printf("cpubench: iterations=%ld int=%016llx fp=%.6f checksum=%016llx\n",
	       iterations, (unsigned long long)ichk, fsum,
	       (unsigned long long)(ichk ^ fbits));
	return 0;
}
