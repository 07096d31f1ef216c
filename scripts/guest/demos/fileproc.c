/*
 * fileproc: file-processing guest workload.
 *
 * usage: fileproc [path] [lines]   (default /tmp/fileproc.txt, 2000 lines)
 *
 * Writes a generated text file, reads it back in 512-byte chunks and prints
 * its line, word and byte counts (like `wc`), an FNV-1a checksum, and the most
 * frequent word.  Exercises open/write/fsync/lseek/read/close/stat/unlink.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const words[] = {
	"record", "replay", "slice", "snapshot", "tick", "hart",
	"page", "trap", "syscall", "diff", "seek", "virtio",
};
#define NWORDS (sizeof words / sizeof words[0])

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/tmp/fileproc.txt";
	long nlines = argc > 2 ? strtol(argv[2], NULL, 10) : 2000;

	int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	uint32_t seed = 12345;
	char line[256];
	for (long i = 0; i < nlines; i++) {
		int len = snprintf(line, sizeof line, "%ld:", i);
		int nw = 1 + (int)(seed % 7);
		for (int w = 0; w < nw; w++) {
			seed = seed * 1103515245u + 12345u;
			len += snprintf(line + len, sizeof line - (size_t)len, " %s",
					words[(seed >> 16) % NWORDS]);
		}
		line[len++] = '\n';
		if (write_all(fd, line, (size_t)len) != 0) {
			perror("write");
			return 1;
		}
	}
	fsync(fd);

	if (lseek(fd, 0, SEEK_SET) != 0) {
		perror("lseek");
		return 1;
	}
	uint64_t lines = 0, wordc = 0, bytes = 0;
	uint32_t fnv = 2166136261u;
	unsigned counts[NWORDS] = {0};
	char word[32];
	size_t wlen = 0;
	int in_word = 0;
	char buf[512];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)buf[i];
			bytes++;
			fnv = (fnv ^ c) * 16777619u;
			if (c == '\n')
				lines++;
			int space = c == ' ' || c == '\n' || c == '\t';
			if (!space) {
				if (!in_word)
					wordc++;
				in_word = 1;
				if (wlen < sizeof word - 1)
					word[wlen++] = (char)c;
			} else if (in_word) {
				word[wlen] = '\0';
				for (size_t k = 0; k < NWORDS; k++)
					if (strcmp(word, words[k]) == 0)
						counts[k]++;
				in_word = 0;
				wlen = 0;
			}
		}
	}
	close(fd);

	struct stat st;
	if (stat(path, &st) != 0) {
		perror("stat");
		return 1;
	}
	size_t top = 0;
	for (size_t k = 1; k < NWORDS; k++)
		if (counts[k] > counts[top])
			top = k;
	printf("fileproc: lines=%llu words=%llu bytes=%llu size=%lld fnv1a=%08x top=%s:%u\n",
	       (unsigned long long)lines, (unsigned long long)wordc,
	       (unsigned long long)bytes, (long long)st.st_size, fnv,
	       words[top], counts[top]);
	unlink(path);
	return 0;
}
