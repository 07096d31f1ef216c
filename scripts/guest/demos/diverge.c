/*
 * diverge: a program whose behaviour depends on its input, so that two
 * recordings can be diffed.
 *
 * usage: diverge [mode]     mode from argv[1], else $DIVERGE_MODE, else the
 *                           first line of stdin when stdin is not a
 *                           terminal; with none of them, a usage line on
 *                           stderr and exit status 2 (rather than waiting
 *                           for a line the user does not know to type).
 *
 *   mode "b": creates a directory, writes two files, renames one, reads
 *             both back and prints their product (path B);
 *   any other mode: writes /tmp/diverge.a, reads it back and prints a sum of
 *             squares (path A).
 *
 * Both paths start with the same syscalls (getpid is avoided so output stays
 * deterministic) and split at the mode check, so the first divergence in a
 * syscall diff is the openat of a different file.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static long read_number(const char *path)
{
	char buf[64] = {0};
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

static int path_a(void)
{
	if (write_file("/tmp/diverge.a", "12\n") != 0) {
		perror("/tmp/diverge.a");
		return 1;
	}
	long n = read_number("/tmp/diverge.a");
	long sum = 0;
	for (long i = 1; i <= n; i++)
		sum += i * i;
	unlink("/tmp/diverge.a");
	printf("diverge: path A n=%ld sum_of_squares=%ld\n", n, sum);
	return 0;
}

static int path_b(void)
{
	mkdir("/tmp/diverge.b", 0755);
	if (write_file("/tmp/diverge.b/x", "6\n") != 0 ||
	    write_file("/tmp/diverge.b/y.tmp", "7\n") != 0) {
		perror("/tmp/diverge.b");
		return 1;
	}
	rename("/tmp/diverge.b/y.tmp", "/tmp/diverge.b/y");
	long x = read_number("/tmp/diverge.b/x");
	long y = read_number("/tmp/diverge.b/y");
	unlink("/tmp/diverge.b/x");
	unlink("/tmp/diverge.b/y");
	rmdir("/tmp/diverge.b");
	printf("diverge: path B x=%ld y=%ld product=%ld\n", x, y, x * y);
	return 0;
}

int main(int argc, char **argv)
{
	char mode[64] = "";
	const char *env = getenv("DIVERGE_MODE");
	if (argc > 1)
		snprintf(mode, sizeof mode, "%s", argv[1]);
	else if (env)
		snprintf(mode, sizeof mode, "%s", env);
	else if (isatty(STDIN_FILENO)) {
		fprintf(stderr, "usage: diverge a|b   (or DIVERGE_MODE=a|b diverge, or echo a|b | diverge)\n");
		return 2;
	} else if (fgets(mode, sizeof mode, stdin))
		mode[strcspn(mode, "\r\n")] = '\0';

	printf("diverge: mode=%s\n", mode);
	fflush(stdout);
	return strcmp(mode, "b") == 0 ? path_b() : path_a();
}
