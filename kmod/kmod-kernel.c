/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A target kernel's facts, loaded once (kmod-kernel.h). */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "kmod-kernel.h"
#include "strbuf.h"

#ifndef EM_LOONGARCH
#define EM_LOONGARCH 258
#endif

const char *aoms_kmod_machine_arch(uint16_t machine, int elf_class)
{
	switch (machine) {
	case EM_X86_64: return "x86_64";
	case EM_AARCH64: return "aarch64";
	case EM_386: return "i686";
	case EM_PPC64: return "ppc64le";
	case EM_S390: return elf_class == ELFCLASS64 ? "s390x" : "s390";
	case EM_LOONGARCH: return "loongarch64";
	case EM_RISCV: return "riscv64";
	default: return NULL;
	}
}

unsigned aoms_kmod_release_version(const char *release)
{
	unsigned maj = 0, min = 0;

	if (!release || sscanf(release, "%u.%u", &maj, &min) != 2)
		return 0;
	return maj << 8 | (min & 0xff);
}

static struct aoms_kmod_ksym *kernel_ksym(struct aoms_arena *a, const char *name, int64_t crc,
					  const char *module, const char *export_type,
					  const char *ns)
{
	struct aoms_kmod_ksym *k = aoms_arena_alloc(a, sizeof(*k));

	if (!k)
		return NULL;
	*k = (struct aoms_kmod_ksym){
		.name = aoms_arena_strdup(a, name), .crc = crc,
		.module = module ? aoms_arena_strdup(a, module) : NULL,
		.ns = ns && *ns ? aoms_arena_strdup(a, ns) : NULL,
		.gpl_only = export_type && strstr(export_type, "_GPL") && !strstr(export_type, "FUTURE"),
	};
	return k->name ? k : NULL;
}

static int kernel_on_symbol(const struct aoms_abidb_ksym *s, void *ud)
{
	struct aoms_kmod_kernel *k = ud;
	struct aoms_kmod_ksym *x = kernel_ksym(k->arena, s->name, s->crc, s->module,
					       s->export_type, s->ns);

	if (!x || aoms_strmap_put(&k->symbols, x->name, x) < 0)
		return -ENOMEM;
	k->n_symbols++;
	k->n_crcs += s->crc >= 0;
	if (x->ns)
		k->namespaces = true;
	return 0;
}

static int kernel_on_kabi(const struct aoms_abidb_kabi *s, void *ud)
{
	struct aoms_kmod_kernel *k = ud;
	struct aoms_kmod_ksym *x;

	if (aoms_strmap_get(&k->kabi, s->name))   /* the newest list comes first */
		return 0;
	x = kernel_ksym(k->arena, s->name, s->crc, s->module, s->export_type, NULL);
	if (!x || aoms_strmap_put(&k->kabi, x->name, x) < 0)
		return -ENOMEM;
	k->n_kabi++;
	return 0;
}

static int kernel_on_kernel(const char *release, const char *arch, const char *vermagic, void *ud)
{
	struct aoms_kmod_kernel *k = ud;

	if (strcmp(release, k->release) != 0 || strcmp(arch, k->arch) != 0)
		return 0;
	if (vermagic && !(k->vermagic = strdup(vermagic)))
		return -ENOMEM;
	return 1;
}

/* y: 1, n/absent: 0; -ENOMEM/-EIO. */
static int kernel_config_y(struct aoms_abidb *db, struct aoms_kmod_kernel *k, const char *key)
{
	_cleanup_(freep) char *v = NULL;
	int r = aoms_abidb_get_kernel_config(db, k->release, k->arch, key, &v);

	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	k->config_known = true;
	return strcmp(v, "y") == 0;
}

/* include/linux/vermagic.h: UTS_RELEASE " " SMP PREEMPT MOD_UNLOAD MODVERSIONS. */
static int kernel_derive_vermagic(struct aoms_abidb *db, struct aoms_kmod_kernel *k)
{
	int smp = kernel_config_y(db, k, "CONFIG_SMP");
	int pre = kernel_config_y(db, k, "CONFIG_PREEMPT");
	int pre_build = kernel_config_y(db, k, "CONFIG_PREEMPT_BUILD");
	int rt = kernel_config_y(db, k, "CONFIG_PREEMPT_RT");
	int unload = kernel_config_y(db, k, "CONFIG_MODULE_UNLOAD");

	if (smp < 0 || pre < 0 || pre_build < 0 || rt < 0 || unload < 0)
		return -EIO;
	if (!k->config_known)
		return 0;
	k->vermagic = aoms_strdupf("%s %s%s%s%s", k->release, smp ? "SMP " : "",
				   rt ? "preempt_rt " : pre || pre_build ? "preempt " : "",
				   unload ? "mod_unload " : "", k->modversions ? "modversions " : "");
	k->vermagic_derived = true;
	return k->vermagic ? 0 : -ENOMEM;
}

static int kernel_read_config(struct aoms_abidb *db, struct aoms_kmod_kernel *k)
{
	static const struct { const char *key; size_t off; } flags[] = {
		{ "CONFIG_MODVERSIONS", offsetof(struct aoms_kmod_kernel, modversions) },
		{ "CONFIG_MODULE_FORCE_LOAD", offsetof(struct aoms_kmod_kernel, force_load) },
		{ "CONFIG_MODULE_SIG", offsetof(struct aoms_kmod_kernel, sig) },
		{ "CONFIG_MODULE_SIG_FORCE", offsetof(struct aoms_kmod_kernel, sig_force) },
		{ "CONFIG_RETPOLINE", offsetof(struct aoms_kmod_kernel, retpoline) },
		{ "CONFIG_MODULE_ALLOW_MISSING_NAMESPACE_IMPORTS",
		  offsetof(struct aoms_kmod_kernel, ns_missing_ok) },
	};
	unsigned v = aoms_kmod_release_version(k->release);

	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		int r = kernel_config_y(db, k, flags[i].key);

		if (r < 0)
			return r;
		*(bool *)((char *)k + flags[i].off) = r;
	}
	/* Without a config, CRCs in the exports say modversions. */
	if (!k->config_known && k->n_crcs)
		k->modversions = true;
	/* retpoline_module_ok() and its "not compiled with retpoline compiler" warning
	 * lived in 4.16-4.20 (gone with "x86/retpoline: Remove minimal retpoline
	 * support", 5.0). RHEL 8 took that removal: its own in-tree modules carry no
	 * retpoline=Y, so an .el8 kernel does not warn either. */
	k->retpoline = k->retpoline && v >= 0x410 && v < 0x500 && !strstr(k->release, ".el8");
	k->namespaces = k->namespaces || v >= 0x504;
	return k->vermagic ? 0 : kernel_derive_vermagic(db, k);
}

int aoms_kmod_kernel_load(struct aoms_abidb *db, const char *release, const char *arch,
			  struct aoms_kmod_kernel **ret)
{
	_cleanup_(aoms_kmod_kernel_freep) struct aoms_kmod_kernel *k = calloc(1, sizeof(*k));
	int r;

	if (!k || aoms_arena_new(&k->arena) < 0 || !(k->release = strdup(release)) ||
	    !(k->arch = strdup(arch)))
		return -ENOMEM;
	r = aoms_abidb_foreach_kernel(db, kernel_on_kernel, k);
	if (r < 0)
		return r;
	if (r == 0)
		return -ENOENT;
	r = aoms_abidb_foreach_kernel_export(db, release, arch, kernel_on_symbol, k);
	if (r >= 0)
		r = aoms_abidb_foreach_kabi_of_arch(db, arch, kernel_on_kabi, k);
	if (r >= 0)
		r = kernel_read_config(db, k);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(k);
	return 0;
}

void aoms_kmod_kernel_free(struct aoms_kmod_kernel *k)
{
	if (!k)
		return;
	aoms_strmap_release(&k->symbols);
	aoms_strmap_release(&k->kabi);
	aoms_arena_free(k->arena);
	free(k->release);
	free(k->arch);
	free(k->vermagic);
	free(k);
}

const struct aoms_kmod_ksym *aoms_kmod_kernel_symbol(const struct aoms_kmod_kernel *k,
						     const char *name)
{
	return aoms_strmap_get(&k->symbols, name);
}

const struct aoms_kmod_ksym *aoms_kmod_kernel_kabi(const struct aoms_kmod_kernel *k,
						   const char *name)
{
	return aoms_strmap_get(&k->kabi, name);
}
