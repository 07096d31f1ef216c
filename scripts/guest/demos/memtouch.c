/*
 * memtouch: memory-bound guest workload.
 *
 * usage: memtouch [pages] [rounds]   (default 4096 pages = 16 MiB, 2 rounds)
 *
 * Maps an anonymous region, writes a pattern to one word in every page (each
 * first touch is a page fault), then makes more rounds over every word of
 * every page in a stride that crosses pages, and prints an FNV-1a checksum of
 * what it read.  Exercises mmap/munmap, demand paging and the TLB.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#define PAGE_SIZE 4096u

int main(int argc, char **argv)
{
	long pages = argc > 1 ? strtol(argv[1], NULL, 10) : 4096;
	long rounds = argc > 2 ? strtol(argv[2], NULL, 10) : 2;
	if (pages <= 0 || rounds < 0) {
		fprintf(stderr, "usage: memtouch [pages] [rounds]\n");
		return 2;
	}
	size_t len = (size_t)pages * PAGE_SIZE;
	uint64_t *mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	const size_t words_per_page = PAGE_SIZE / sizeof(uint64_t);
	for (long p = 0; p < pages; p++)
		mem[(size_t)p * words_per_page] = (uint64_t)p * 0x9e3779b97f4a7c15ull;

	uint64_t fnv = 0xcbf29ce484222325ull;
	for (long r = 0; r < rounds; r++) {
		for (size_t w = 0; w < words_per_page; w += 8) {
			for (long p = 0; p < pages; p++) {
				uint64_t *slot = &mem[(size_t)p * words_per_page + w];
				*slot += (uint64_t)(r + 1) * (w + 1) + (uint64_t)p;
				fnv = (fnv ^ *slot) * 0x100000001b3ull;
			}
		}
	}
	munmap(mem, len);
	printf("memtouch: pages=%ld rounds=%ld fnv1a=%016llx\n", pages, rounds,
	       (unsigned long long)fnv);
	return 0;
}
