/*
 * fuzz_walk.c - libFuzzer harness: IPv6 header-chain walk and option
 * codec on arbitrary bytes.  The first byte picks the option type so the
 * TLV walk is exercised for other types too.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>

#include "pdmv2/option.h"
#include "pdmv2/walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
count_option(void *ctx, size_t off, size_t avail)
{
	(void)off;
	(void)avail;
	(*(unsigned *)ctx)++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pdmv2_walk w;
	struct pdmv2_option opt;
	uint8_t type, rebuilt[PDMV2_OPTION_MAX];
	unsigned i, found = 0;

	if (size < 1)
		return 0;
	type = (data[0] & 1) ? PDMV2_OPTION_TYPE_DEFAULT : data[0];
	data++;
	size--;

	if (pdmv2_walk_ipv6(data, size, type, &w) == PDMV2_OK) {
		for (i = 0; i < w.n_opts; i++) {
			const struct pdmv2_opt_ref *r = &w.opts[i];

			if (r->opt_off > size || r->opt_avail > size - r->opt_off)
				__builtin_trap();	/* walker broke its contract */
			if (pdmv2_option_parse(data + r->opt_off, r->opt_avail,
					       &opt) == PDMV2_OK &&
			    opt.variant != PDMV2_VARIANT_ENCRYPTED)
				(void)pdmv2_option_build(&opt, rebuilt);
		}
	}
	/* The raw TLV walk and the option parser on the bytes as they are. */
	(void)pdmv2_walk_options(data, size, type, count_option, &found);
	(void)pdmv2_option_parse(data, size, &opt);
	return 0;
}
