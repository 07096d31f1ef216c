/*
 * A QEMU TCG plugin for the syscall differential test (qemu-strace.test.ts):
 * it logs every syscall's number and raw argument registers at entry and its
 * raw return value, next to what `qemu-riscv64 -strace` prints, in the same
 * log (-d plugin,strace -D FILE):
 *
 *   @E <pid> <nr> <a0> <a1> <a2> <a3> <a4> <a5>     (hex)
 *   @R <pid> <nr> <ret>                               (decimal)
 *
 * so the test can feed the decoder exactly the registers qemu decoded.
 * The plugin API is declared here (the subset used, QEMU_PLUGIN_VERSION 1 as
 * in QEMU 7.2) so that no QEMU development headers are needed.
 */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t;
typedef void (*syscall_cb_t)(qemu_plugin_id_t id, unsigned int vcpu, int64_t num, uint64_t a1, uint64_t a2,
                             uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6, uint64_t a7, uint64_t a8);
typedef void (*syscall_ret_cb_t)(qemu_plugin_id_t id, unsigned int vcpu, int64_t num, int64_t ret);

void qemu_plugin_register_vcpu_syscall_cb(qemu_plugin_id_t id, syscall_cb_t cb);
void qemu_plugin_register_vcpu_syscall_ret_cb(qemu_plugin_id_t id, syscall_ret_cb_t cb);
void qemu_plugin_outs(const char *string);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

static void on_syscall(qemu_plugin_id_t id, unsigned int vcpu, int64_t num, uint64_t a1, uint64_t a2, uint64_t a3,
                       uint64_t a4, uint64_t a5, uint64_t a6, uint64_t a7, uint64_t a8)
{
	char line[256];
	(void)id; (void)vcpu; (void)a7; (void)a8;
	snprintf(line, sizeof line, "@E %d %lld %llx %llx %llx %llx %llx %llx\n", (int)getpid(), (long long)num,
	         (unsigned long long)a1, (unsigned long long)a2, (unsigned long long)a3, (unsigned long long)a4,
	         (unsigned long long)a5, (unsigned long long)a6);
	qemu_plugin_outs(line);
}

static void on_syscall_ret(qemu_plugin_id_t id, unsigned int vcpu, int64_t num, int64_t ret)
{
	char line[128];
	(void)id; (void)vcpu;
	snprintf(line, sizeof line, "@R %d %lld %lld\n", (int)getpid(), (long long)num, (long long)ret);
	qemu_plugin_outs(line);
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
                                                               int argc, char **argv)
{
	(void)info; (void)argc; (void)argv;
	qemu_plugin_register_vcpu_syscall_cb(id, on_syscall);
	qemu_plugin_register_vcpu_syscall_ret_cb(id, on_syscall_ret);
	return 0;
}
