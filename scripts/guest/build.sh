#!/usr/bin/env bash
# Rebuild the prnr guest images from Debian packages and this repo's sources.
#
#   npm run images                 (= bash scripts/guest/build.sh)
#   npm run images -- --initrd     only the initramfs (BusyBox, /init, demos);
#                                  the committed kernel, firmware, disk,
#                                  System.map and profile are kept as they are
#
# Outputs (committed): public/images/default/{manifest.json, profile.json,
# *.gz} and scripts/guest/versions.txt.  Scratch (not committed): $PRNR_GUEST_BUILD,
# by default ../build/guest next to the repository.  See docs/images.md.
#
# Steps: prerequisites -> kernel (linux-source-6.1, config fragment, make -j2)
# -> busybox-static (riscv64 .deb via a throw-away apt configuration) -> demos
# -> initramfs -> ext2 data disk -> introspection profile -> gzip + manifest.
# With --initrd: prerequisites -> gen_init_cpio (compiled alone from
# linux-source-6.1) -> busybox-static -> demos -> initramfs -> gzip + manifest.
set -euo pipefail

ONLY_INITRD=0
case "${1:-}" in
"") ;;
--initrd) ONLY_INITRD=1 ;;
*) printf 'usage: build.sh [--initrd]\n' >&2; exit 2 ;;
esac

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
GUEST="$REPO/scripts/guest"
BUILD=${PRNR_GUEST_BUILD:-$(dirname "$REPO")/build/guest}
IMAGE=default
OUT="$REPO/public/images/$IMAGE"
JOBS=${JOBS:-2}

# Everything that lands in an image carries this time, so rebuilds are
# byte-identical where the tools allow it (kernel, cpio, ext2, gzip).
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1704067200} # 2024-01-01T00:00:00Z
KBUILD_BUILD_TIMESTAMP=$(date -u -d "@$SOURCE_DATE_EPOCH")
export KBUILD_BUILD_TIMESTAMP
export KBUILD_BUILD_USER=prnr KBUILD_BUILD_HOST=prnr KBUILD_BUILD_VERSION=1
export E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH
export ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu-
export LC_ALL=C TZ=UTC

KERNEL_CMDLINE="console=ttyS0 earlycon=sbi rdinit=/init"
PROMPT='prnr# '
RAM_MIB=128
DEMOS=(cpubench fileproc forkpipe diverge memtouch)
TRIXIE_MIRROR=${TRIXIE_MIRROR:-http://deb.debian.org/debian}

log() { printf '\n== %s\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

# --- prerequisites ----------------------------------------------------------
HOST_PACKAGES=(gcc-riscv64-linux-gnu libc6-dev-riscv64-cross linux-source-6.1
	opensbi dwarves e2fsprogs cpio bc bison flex libssl-dev libelf-dev
	xz-utils gzip make gcc apt)
INITRD_PACKAGES=(gcc-riscv64-linux-gnu libc6-dev-riscv64-cross linux-source-6.1
	xz-utils gzip gcc apt)
check_prereqs() {
	((ONLY_INITRD)) && HOST_PACKAGES=("${INITRD_PACKAGES[@]}")
	local missing=()
	for p in "${HOST_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	if ((${#missing[@]})); then
		die "missing Debian packages; run: apt-get install ${missing[*]}"
	fi
	command -v node >/dev/null || die "node (>= 20) is required"
	[[ -x "$REPO/node_modules/.bin/tsx" ]] || die "run npm install first (tsx is needed)"
}

pkg_version() { dpkg-query -W -f='${Version}' "$1"; }

# --- kernel -----------------------------------------------------------------
KSRC="$BUILD/linux-source-6.1"
KOUT="$BUILD/kbuild"
build_kernel() {
	log "kernel: linux-source-6.1 $(pkg_version linux-source-6.1)"
	local stamp="$BUILD/linux-source.version"
	if [[ ! -d "$KSRC" || "$(cat "$stamp" 2>/dev/null)" != "$(pkg_version linux-source-6.1)" ]]; then
		rm -rf "$KSRC" "$KOUT"
		tar -C "$BUILD" -xf /usr/src/linux-source-6.1.tar.xz
		pkg_version linux-source-6.1 >"$stamp"
	fi
	mkdir -p "$KOUT"
	make -C "$KSRC" O="$KOUT" -s allnoconfig
	"$KSRC/scripts/kconfig/merge_config.sh" -m -O "$KOUT" "$KOUT/.config" \
		"$GUEST/kernel.config" >"$KOUT/merge_config.log"
	make -C "$KSRC" O="$KOUT" -s olddefconfig
	# Every line of the fragment must survive olddefconfig, or the fragment lies.
	local line bad=0
	while IFS= read -r line; do
		[[ "$line" =~ ^(CONFIG_|#\ CONFIG_) ]] || continue
		grep -qxF "$line" "$KOUT/.config" || { echo "not applied: $line" >&2; bad=1; }
	done <"$GUEST/kernel.config"
	((bad == 0)) || die "kernel.config fragment did not apply (see above)"
	make -C "$KSRC" O="$KOUT" -j"$JOBS" >"$KOUT/make.log" 2>&1 ||
		{ tail -30 "$KOUT/make.log" >&2; die "kernel build failed (log: $KOUT/make.log)"; }
	make -C "$KSRC" O="$KOUT" -s headers_install INSTALL_HDR_PATH="$KOUT/hdr"
	GEN_INIT_CPIO="$KOUT/usr/gen_init_cpio"
}

# --initrd: the kernel's cpio writer is one C file; build it alone for the host.
build_gen_init_cpio() {
	log "gen_init_cpio from linux-source-6.1 $(pkg_version linux-source-6.1)"
	local src="$BUILD/gen_init_cpio"
	rm -rf "$src"
	mkdir -p "$src"
	tar -C "$src" -xf /usr/src/linux-source-6.1.tar.xz --strip-components=2 \
		linux-source-6.1/usr/gen_init_cpio.c
	gcc -O2 -o "$src/gen_init_cpio" "$src/gen_init_cpio.c"
	GEN_INIT_CPIO="$src/gen_init_cpio"
}

# --- busybox-static for riscv64, from trixie, without touching the host's apt ---
fetch_busybox() {
	log "busybox-static (riscv64) from trixie"
	local apt="$BUILD/apt-trixie"
	rm -rf "$apt"
	mkdir -p "$apt"/etc/sources.list.d "$apt"/etc/preferences.d "$apt"/state/lists/partial \
		"$apt"/cache/archives/partial "$apt"/debs
	touch "$apt/state/status"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $TRIXIE_MIRROR trixie main" \
		>"$apt/etc/sources.list"
	local opts=(-o "Dir::Etc=$apt/etc" -o "Dir::Etc::SourceList=$apt/etc/sources.list"
		-o "Dir::Etc::SourceParts=$apt/etc/sources.list.d"
		-o "Dir::Etc::PreferencesParts=$apt/etc/preferences.d"
		-o "Dir::State=$apt/state" -o "Dir::State::status=$apt/state/status"
		-o "Dir::Cache=$apt/cache" -o APT::Architecture=riscv64
		-o APT::Architectures=riscv64 -o Debug::NoLocking=1
		-o APT::Sandbox::User=root)
	apt-get "${opts[@]}" -qq update
	(cd "$apt/debs" && apt-get "${opts[@]}" -qq download busybox-static)
	local deb
	deb=$(ls "$apt"/debs/busybox-static_*_riscv64.deb)
	BUSYBOX_VERSION=$(dpkg-deb -f "$deb" Version)
	rm -rf "$BUILD/busybox"
	dpkg-deb -x "$deb" "$BUILD/busybox"
	BUSYBOX_BIN=$(find "$BUILD/busybox" -path '*bin/busybox' -type f | head -1)
	[[ -n "$BUSYBOX_BIN" ]] || die "busybox binary not found in $deb"
}

# --- demo programs ----------------------------------------------------------
build_demos() {
	log "demos: ${DEMOS[*]}"
	mkdir -p "$BUILD/demos"
	local d
	for d in "${DEMOS[@]}"; do
		riscv64-linux-gnu-gcc -static -O2 -Wall -Werror -s -o "$BUILD/demos/$d" \
			"$GUEST/demos/$d.c" -lm
	done
}

# --- initramfs (newc cpio, written by the kernel's gen_init_cpio) ----------
build_initrd() {
	log "initramfs"
	local list="$BUILD/initramfs.list" d f
	find "$GUEST/rootfs" "$BUILD/demos" "$BUSYBOX_BIN" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
	{
		for d in /bin /dev /etc /proc /sys /tmp /data /root /sbin /usr /usr/bin /usr/sbin /demo; do
			echo "dir $d 0755 0 0"
		done
		echo "nod /dev/console 0600 0 0 c 5 1"
		echo "nod /dev/null 0666 0 0 c 1 3"
		echo "file /bin/busybox $BUSYBOX_BIN 0755 0 0"
		echo "slink /bin/sh busybox 0777 0 0"
		echo "file /init $GUEST/rootfs/init 0755 0 0"
		for f in "$GUEST"/rootfs/etc/*; do
			echo "file /etc/$(basename "$f") $f 0644 0 0"
		done
		for d in "${DEMOS[@]}"; do
			echo "file /demo/$d $BUILD/demos/$d 0755 0 0"
		done
	} >"$list"
	"$GEN_INIT_CPIO" -t "$SOURCE_DATE_EPOCH" "$list" >"$BUILD/initrd.cpio"
}

# --- ext2 data disk -----------------------------------------------------------
build_disk() {
	log "data disk (ext2, 4 MiB)"
	local src="$BUILD/data"
	rm -rf "$src" "$BUILD/data.ext2"
	cp -r "$GUEST/data" "$src"
	find "$src" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
	mkfs.ext2 -q -F -b 1024 -N 64 -m 0 -L prnr-data \
		-U 7072e572-0000-4000-8000-000000000001 \
		-E root_owner=0:0,hash_seed=7072e572-0000-4000-8000-000000000002 \
		-d "$src" "$BUILD/data.ext2" 4M
	# mke2fs -d copies each source file's ctime, which touch cannot set: pin
	# every inode's ctime so the image is byte-identical across builds.
	(cd "$src" && find . | sed 's|^\.$|/|; s|^\./|/|') | sed 's|.*|sif "&" ctime @'"$SOURCE_DATE_EPOCH"'|' \
		>"$BUILD/data.debugfs"
	echo "sif /lost+found ctime @$SOURCE_DATE_EPOCH" >>"$BUILD/data.debugfs"
	debugfs -w -f "$BUILD/data.debugfs" "$BUILD/data.ext2" >/dev/null 2>&1
}

# --- introspection profile ----------------------------------------------------
build_profile() {
	log "introspection profile"
	pahole -C task_struct,mm_struct,thread_info,thread_struct "$KOUT/vmlinux" >"$BUILD/pahole.txt"
	# All __NR_* macros of the kernel's own riscv64 uapi headers, expanded by
	# the preprocessor (some are defined through other macros).
	local hdr="$KOUT/hdr/include"
	riscv64-linux-gnu-gcc -nostdinc -isystem "$hdr" -dM -E - <<<'#include <asm/unistd.h>' |
		awk '$1 == "#define" && $2 ~ /^__NR_/ { print $2 }' | sort -u >"$BUILD/nr-names.txt"
	{
		echo '#include <asm/unistd.h>'
		sed 's/^__NR_\(.*\)/@@ "\1" = __NR_\1/' "$BUILD/nr-names.txt"
	} | riscv64-linux-gnu-gcc -nostdinc -isystem "$hdr" -E -P - | grep '^@@' >"$BUILD/syscalls.txt"
	"$REPO/node_modules/.bin/tsx" "$GUEST/make-profile.ts" \
		--pahole "$BUILD/pahole.txt" --syscalls "$BUILD/syscalls.txt" \
		--system-map "$KOUT/System.map" --config "$KOUT/.config" \
		--release "$(cat "$KOUT/include/config/kernel.release")" \
		--out "$BUILD/profile.json"
}

# --- package and describe ---------------------------------------------------
FIRMWARE=$(dpkg -L opensbi | grep '/generic/fw_jump.bin$' | head -1)
package() {
	log "packaging into ${OUT#"$REPO"/}"
	rm -rf "$OUT"
	mkdir -p "$OUT"
	gzip -9 -n -c "$FIRMWARE" >"$OUT/fw_jump.bin.gz"
	gzip -9 -n -c "$KOUT/arch/riscv/boot/Image" >"$OUT/Image.gz"
	gzip -9 -n -c "$BUILD/initrd.cpio" >"$OUT/initrd.cpio.gz"
	gzip -9 -n -c "$BUILD/data.ext2" >"$OUT/data.ext2.gz"
	gzip -9 -n -c "$KOUT/System.map" >"$OUT/System.map.gz"
	cp "$BUILD/profile.json" "$OUT/profile.json"

	local versions="$GUEST/versions.txt" p
	{
		echo "# Package versions used by scripts/guest/build.sh (generated; do not edit)."
		for p in linux-source-6.1 opensbi gcc-riscv64-linux-gnu libc6-dev-riscv64-cross \
			dwarves e2fsprogs; do
			echo "$p $(pkg_version "$p")"
		done
		echo "busybox-static:riscv64 $BUSYBOX_VERSION (Debian trixie)"
		echo "kernel-release $(cat "$KOUT/include/config/kernel.release")"
	} >"$versions"

	"$REPO/node_modules/.bin/tsx" "$GUEST/make-manifest.ts" --dir "$OUT" --name "$IMAGE" \
		--cmdline "$KERNEL_CMDLINE" --prompt "$PROMPT" --ram-mib "$RAM_MIB" \
		--hz "$(sed -n 's/^CONFIG_HZ=//p' "$KOUT/.config")" --versions "$versions"
	du -b "$OUT"/*
	local total
	total=$(du -cb "$REPO"/public/images/*/* | tail -1 | cut -f1)
	((total < 20 * 1024 * 1024)) || die "images total $total bytes, over the 20 MiB budget"
}

# --initrd: replace initrd.cpio.gz, keep every other file, and keep versions.txt
# true: the kernel's lines stay (they built the kept files); the cross compiler
# and libc, which build the demos and built the kernel, must be the ones
# recorded, or the versions file would lie about one of the two.
package_initrd() {
	log "packaging the initramfs into ${OUT#"$REPO"/}"
	local versions="$GUEST/versions.txt" p recorded
	for p in gcc-riscv64-linux-gnu libc6-dev-riscv64-cross; do
		recorded=$(sed -n "s/^$p //p" "$versions")
		[[ "$recorded" == "$(pkg_version "$p")" ]] ||
			die "$p is $(pkg_version "$p") here but versions.txt says $recorded built the kernel; run a full build"
	done
	gzip -9 -n -c "$BUILD/initrd.cpio" >"$OUT/initrd.cpio.gz"
	sed -i "s/^busybox-static:riscv64 .*/busybox-static:riscv64 $BUSYBOX_VERSION (Debian trixie)/" "$versions"
	"$REPO/node_modules/.bin/tsx" "$GUEST/make-manifest.ts" --dir "$OUT" --name "$IMAGE" \
		--cmdline "$KERNEL_CMDLINE" --prompt "$PROMPT" --ram-mib "$RAM_MIB" \
		--hz "$(sed -n 's/^ *"kernelHz": \([0-9]*\).*/\1/p' "$OUT/manifest.json")" --versions "$versions"
	du -b "$OUT/initrd.cpio.gz"
}

main() {
	check_prereqs
	mkdir -p "$BUILD"
	if ((ONLY_INITRD)); then
		build_gen_init_cpio
		fetch_busybox
		build_demos
		build_initrd
		package_initrd
	else
		build_kernel
		fetch_busybox
		build_demos
		build_initrd
		build_disk
		build_profile
		package
	fi
	log "done: $OUT"
}

main "$@"
