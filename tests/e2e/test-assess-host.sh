#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# aoms assess on a CentOS 7 root assembled with rpmbuild + rpm --root plus files:
# the kernel, the services and the configuration parts, with root-relative subjects.
#   kernel    kmod-acme (rpm: lib/modules/R/extra/acme/acme_net.ko.xz, a real module)
#             -> assess.kmod-out-of-tree, the module scanned (files[] verdict);
#             a DKMS tree var/lib/dkms/acmefs/1.2 (source -> /usr/src/acmefs-1.2, an
#             absolute link resolved inside the root; a built .ko.xz) -> assess.kmod-dkms;
#             the source kernel's tree R/kernel/drivers/: aic7xxx (SCSI, in-tree only:
#             medium), floppy (block, an etc/modprobe.d alias: inhibitor), 3w-9xxx
#             (SCSI, etc/modules-load.d: inhibitor), e1000e (EL8 has it: nothing) and
#             kernel/fs/btrfs (not a driver: nothing) -> assess.driver-removed
#   services  enabled units (multi-user.target.wants): web.service (usr/lib; its drop-in
#             resets ExecStart= to an unowned python 2 script, ExecStartPost= a missing
#             program), agent.service (an unowned ELF needing the build host's glibc),
#             owned.service (a program svc-tools owns: not scanned), evil.service
#             (ExecStart=/../../../usr/bin/id: missing inside the root, never the host's)
#   config    iptables (saved rules + an enabled iptables.service), GRUB 2 on BIOS and
#             UEFI without BLS entries; a second root with legacy GRUB only -> blocker
#   signature svc-tools (Vendor CentOS) signed with a test key: third-party by its key;
#             --vendor-key with that key makes it the vendor's; the same root as
#             AlmaLinux 8 and Oracle Linux 7 (their keys are built in): by its key too
#   subjects  every subject and the report's inputs are root-relative

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc rpmbuild rpm rpmsign gpg xz

T=$E2E_TMP
REL=3.10.0-1160.el7.x86_64
KO=$FIXTURES/kmod/el8/uio.ko.xz


# ---- a signing key of the test's own ---------------------------------------------------
export GNUPGHOME=$T/gnupg
mkdir -m 700 "$GNUPGHOME"
gpg --batch --pinentry-mode loopback --passphrase '' --quick-gen-key 'aoms test <test@aoms.invalid>' \
	rsa2048 sign never >"$T/gpg.log" 2>&1 || { show "$T/gpg.log"; die "gpg key"; }
KEYID=$(gpg --list-keys --with-colons | awk -F: '/^pub/ { print tolower($5); exit }')
[ ${#KEYID} = 16 ] || die "no key id from gpg ($KEYID)"

R=$T/rpmbuild/RPMS
rpm_build centos-release --define "osmajor 7" --define "osminor 9"
rpm_build acme-kmod --define "kofile $KO" --define "krel $REL"
rpm_build svc-tools
rpmsign --define "_gpg_name aoms test" --define "_gpg_path $GNUPGHOME" --define "__gpg $(command -v gpg)" \
	--define "_gpg_sign_cmd_extra_args --batch --pinentry-mode loopback" \
	--addsign "$R"/x86_64/svc-tools-*.rpm >"$T/sign.log" 2>&1 || { show "$T/sign.log"; die "rpmsign"; }
ROOT=$T/el7
rpm_install_root "$ROOT" "$R"/x86_64/*.rpm
[ -f "$ROOT/lib/modules/$REL/extra/acme/acme_net.ko.xz" ] || die "kmod-acme did not install"

# ---- kernel: the source kernel's tree, DKMS, module configuration ---------------------
K=$ROOT/lib/modules/$REL/kernel
for m in drivers/scsi/aic7xxx/aic7xxx drivers/block/floppy drivers/scsi/3w-9xxx \
	drivers/net/ethernet/intel/e1000e/e1000e fs/btrfs/btrfs; do
	mkdir -p "$K/$(dirname $m)" && echo "not a module" >"$K/$m.ko.xz"
done
mkdir -p "$ROOT/etc/modules-load.d" "$ROOT/etc/modprobe.d"
printf '# RAID controller\n3w-9xxx\n' >"$ROOT/etc/modules-load.d/raid.conf"
printf 'alias block-major-2-* floppy\noptions floppy allowed_drive_mask=0\n' >"$ROOT/etc/modprobe.d/floppy.conf"
mkdir -p "$ROOT/usr/src/acmefs-1.2" "$ROOT/var/lib/dkms/acmefs/1.2/$REL/x86_64/module"
printf 'PACKAGE_NAME="acmefs"\nPACKAGE_VERSION="1.2"\nBUILT_MODULE_NAME[0]="acmefs"\nAUTOINSTALL="yes"\n' \
	>"$ROOT/usr/src/acmefs-1.2/dkms.conf"
ln -s /usr/src/acmefs-1.2 "$ROOT/var/lib/dkms/acmefs/1.2/source"
cp "$KO" "$ROOT/var/lib/dkms/acmefs/1.2/$REL/x86_64/module/acmefs.ko.xz"

# ---- services --------------------------------------------------------------------------
mkdir -p "$ROOT/usr/lib/systemd/system" "$ROOT/etc/systemd/system/multi-user.target.wants" \
	"$ROOT/etc/systemd/system/web.service.d" "$ROOT/etc/systemd/system/basic.target.wants" \
	"$ROOT/usr/libexec"
cat >"$ROOT/usr/lib/systemd/system/web.service" <<'EOF'
[Unit]
Description=web
[Service]
ExecStart=/usr/libexec/web-old
ExecStartPost=-/usr/bin/web-notify --ready
[Install]
WantedBy=multi-user.target
EOF
printf '[Service]\nExecStart=\nExecStart=!/usr/libexec/webd --port 80\n' \
	>"$ROOT/etc/systemd/system/web.service.d/override.conf"
printf '#!/usr/bin/python\nprint "web"\n' >"$ROOT/usr/libexec/webd"
chmod 755 "$ROOT/usr/libexec/webd"
printf 'int main(void) { return 0; }\n' >"$T/agentd.c"
build_cc "$ROOT/usr/libexec/agentd" "$T/agentd.c" || die "agentd"
printf '[Service]\nType=simple\nExecStart=@/usr/libexec/agentd agentd -f\n' >"$ROOT/etc/systemd/system/agent.service"
printf '[Service]\nExecStart=/usr/sbin/svc-owned\n' >"$ROOT/usr/lib/systemd/system/owned.service"
printf '[Service]\nExecStart=/../../../usr/bin/id\n' >"$ROOT/etc/systemd/system/evil.service"
for u in web agent owned evil; do
	ln -s "/usr/lib/systemd/system/$u.service" "$ROOT/etc/systemd/system/multi-user.target.wants/$u.service"
done
# ---- configuration ---------------------------------------------------------------------
mkdir -p "$ROOT/etc/sysconfig"
printf '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n' >"$ROOT/etc/sysconfig/iptables"
ln -s /usr/lib/systemd/system/iptables.service "$ROOT/etc/systemd/system/basic.target.wants/iptables.service"
# a unit two targets want is judged once
ln -s /usr/lib/systemd/system/web.service "$ROOT/etc/systemd/system/basic.target.wants/web.service"
mkdir -p "$ROOT/boot/grub2" "$ROOT/boot/efi/EFI/centos"
echo "set default=0" >"$ROOT/boot/grub2/grub.cfg"
echo "set default=0" >"$ROOT/boot/efi/EFI/centos/grub.cfg"
echo host7 >"$ROOT/etc/hostname"
(cd "$T" && find el7 -printf '%p %s %T@\n' | sort) >"$T/before"

# ---- assess ----------------------------------------------------------------------------
run_aoms assess --root "$ROOT" --format json -o "$T/a.json"
expect_status 8
expect_report_shape "$T/a.json"
A=$T/a.json
expect_json "$A" 'd["run"]["migration_path"] == "leapp" and d["run"]["decision"] == "block"' "el7: leapp, blocked"
# kernel
expect_finding "$A" "/lib/modules/$REL/extra/acme/acme_net.ko.xz" assess.kmod-out-of-tree module=acme_net kernel=$REL
expect_json "$A" "any(f['path'] == '/lib/modules/$REL/extra/acme/acme_net.ko.xz' and f['scanner'] == 'kmod' for f in d['files'])" \
	"the out-of-tree module is scanned by the module scanner"
expect_finding "$A" /var/lib/dkms/acmefs/1.2 assess.kmod-dkms dkms_module=acmefs built_for=$REL dkms_conf=/usr/src/acmefs-1.2/dkms.conf \
	'dkms_settings=BUILT_MODULE_NAME[0]="acmefs"' 
expect_json "$A" "any(f['path'] == '/var/lib/dkms/acmefs/1.2/$REL/x86_64/module/acmefs.ko.xz' and f['scanner'] == 'kmod' for f in d['files'])" \
	"the DKMS build is scanned by the module scanner"
expect_finding "$A" module:3w_9xxx assess.driver-removed use=configured .inhibitor=true source_path=drivers/scsi/3w-9xxx
expect_finding "$A" module:floppy assess.driver-removed use=configured .inhibitor=true
expect_finding "$A" module:aic7xxx assess.driver-removed use=in-tree .inhibitor=false .confidence=possible
expect_no_finding "$A" module:e1000e assess.driver-removed
expect_no_finding "$A" module:btrfs assess.driver-removed
# services
expect_finding "$A" /usr/libexec/webd script.interpreter-missing interpreter=/usr/bin/python
expect_finding "$A" /usr/lib/systemd/system/web.service assess.unit-exec-missing program=/usr/bin/web-notify exec_key=ExecStartPost
expect_json "$A" 'sum(1 for e in d["entries"] if e.get("rule") == "assess.unit-exec-missing" and "web-notify" in json.dumps(e)) == 1' \
	"web.service, wanted by two targets, is judged once"
expect_no_finding "$A" /usr/lib/systemd/system/web.service assess.unit-exec-missing program=/usr/libexec/web-old
expect_json "$A" 'any(e["subject"]["path"] == "/usr/libexec/agentd" and "inhibitor" in e["groups"] for e in d["entries"])' \
	"the unowned ELF a unit runs is scanned (it needs the build host's glibc)"
expect_finding "$A" /etc/systemd/system/evil.service assess.unit-exec-missing program=/../../../usr/bin/id
# configuration
expect_finding "$A" /etc/sysconfig/iptables assess.iptables enabled=/etc/systemd/system/basic.target.wants/iptables.service
expect_finding "$A" /boot/grub2/grub.cfg assess.boot-loader firmware=bios+uefi bls_entries=0
# signature
expect_finding "$A" svc-tools assess.package-third-party signature_key=$KEYID judged_by=signature
expect_finding "$A" centos-release assess.package-third-party signature_key=none judged_by=signature
# subjects: root-relative everywhere
expect_json "$A" "not any('$T' in json.dumps(e) for e in d['entries'])" "no finding names the root's host path"
expect_json "$A" "not any('$T' in f['path'] for f in d['files']) and all(i.startswith('/') and '$T' not in i for i in d['inputs'] if i != '$ROOT')" \
	"files and inputs are root-relative"

# the same root mounted elsewhere: the same findings, the same keys
cp -a "$ROOT" "$T/other"
run_aoms assess --root "$T/other" --format json -o "$T/b.json"
expect_json "$T/b.json" "sorted(e['key'] for e in d['entries']) == sorted(e['key'] for e in json.load(open('$A'))['entries'])" \
	"two mounts of one root give the same keys"

run_aoms assess --root "$ROOT" --vendor-key "$KEYID" --format json -o "$T/v.json"
expect_no_finding "$T/v.json" svc-tools assess.package-third-party
expect_json "$T/v.json" '"/usr/sbin/svc-owned" not in d["inputs"] and "/usr/libexec/webd" in d["inputs"]' \
	"a program of the vendor's package is not scanned, an unowned one is"
# AlmaLinux and Oracle Linux: their keys are built in too, so a package signed with
# another key is third-party by its signature, not by its Vendor tag
for src in 'almalinux 8.9 AlmaLinux' 'ol 7.9 Oracle Linux Server'; do
	set -- $src
	id=$1 ver=$2
	shift 2
	cp -a "$ROOT" "$T/as-$id"
	printf 'ID="%s"\nVERSION_ID="%s"\nNAME="%s"\n' "$id" "$ver" "$*" >"$T/as-$id/etc/os-release"
	run_aoms assess --root "$T/as-$id" --format json -o "$T/as-$id.json"
	expect_finding "$T/as-$id.json" svc-tools assess.package-third-party signature_key=$KEYID judged_by=signature
done

run_aoms assess --root "$ROOT" --vendor-key xyz
expect_status 2
expect_contains "$ERR" "not a key id" "a bad --vendor-key"

# a database without the target kernel's module list: not judged, said so
run_aoms assess --root "$ROOT" --kernel 4.18.0-999.el8 --format json -o "$T/k.json"
expect_finding "$T/k.json" /lib/modules assess.kernel-modules-unknown
expect_json "$T/k.json" 'not any(e["rule"] == "assess.driver-removed" for e in d["entries"])' "no driver judged without a module list"

# ---- legacy GRUB only ------------------------------------------------------------------
L=$T/legacy
mkdir -p "$L/etc" "$L/boot/grub"
printf 'ID="centos"\nVERSION_ID="7"\nNAME="CentOS Linux"\n' >"$L/etc/os-release"
echo "CentOS Linux release 7.9.2009 (Core)" >"$L/etc/centos-release"
echo "default=0" >"$L/boot/grub/grub.conf"
run_aoms assess --root "$L" --format json -o "$T/l.json"
expect_status_bits 8
expect_finding "$T/l.json" /boot/grub/grub.conf assess.boot-loader-legacy .inhibitor=true

(cd "$T" && find el7 -printf '%p %s %T@\n' | sort) >"$T/after"
expect_same_bytes "$T/before" "$T/after" "the root after assess"
e2e_finish
