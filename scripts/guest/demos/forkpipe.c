/*
 * forkpipe: process-creation guest workload.
 *
 * usage: forkpipe [children]       (default 3)
 *
 * For each child: create a pipe, fork, and in the child exec /bin/echo with a
 * message on the pipe's write end; the parent reads the message, waits for
 * the child and prints what it got and the exit status.  Then one child runs
 * this program itself ("forkpipe --child N") to show a self-exec, and a
 * two-stage pipeline parent -> child -> parent sums numbers.  Children are
 * reaped in order, so the output does not depend on scheduling.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int run_child(int n)
{
	/* Self-exec'd child: read numbers from stdin, print their sum times n. */
	long sum = 0, v;
	while (scanf("%ld", &v) == 1)
		sum += v;
	printf("child %d: sum=%ld scaled=%ld\n", n, sum, sum * n);
	return n;
}

static int wait_status(pid_t pid)
{
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--child") == 0)
		return run_child(atoi(argv[2]));
	int children = argc > 1 ? atoi(argv[1]) : 3;

	for (int i = 0; i < children; i++) {
		int fds[2];
		if (pipe(fds) != 0) {
			perror("pipe");
			return 1;
		}
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			char msg[32];
			snprintf(msg, sizeof msg, "hello from child %d", i);
			dup2(fds[1], 1);
			close(fds[0]);
			close(fds[1]);
			execl("/bin/echo", "echo", msg, (char *)NULL);
			_exit(127);
		}
		close(fds[1]);
		char buf[128];
		size_t len = 0;
		ssize_t n;
		while (len < sizeof buf - 1 &&
		       (n = read(fds[0], buf + len, sizeof buf - 1 - len)) > 0)
			len += (size_t)n;
		buf[len] = '\0';
		if (len > 0 && buf[len - 1] == '\n')
			buf[len - 1] = '\0';
		close(fds[0]);
		printf("forkpipe: child %d said \"%s\" status=%d\n", i, buf,
		       wait_status(pid));
	}

	/* Self-exec through a pipe: parent writes numbers, child sums them. */
	int fds[2];
	if (pipe(fds) != 0) {
		perror("pipe");
		return 1;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[0], 0);
		close(fds[0]);
		close(fds[1]);
		execl("/proc/self/exe", "forkpipe", "--child", "7", (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	FILE *out = fdopen(fds[1], "w");
	for (int v = 1; v <= 100; v++)
		fprintf(out, "%d\n", v);
	fclose(out);
	printf("forkpipe: self-exec status=%d\n", wait_status(pid));
	printf("forkpipe: done children=%d\n", children);
	return 0;
}
