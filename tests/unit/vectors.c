/*
 * vectors.c - see vectors.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pdmv2/hex.h"
#include "vectors.h"

json_object *
test_load_vectors(const char *name)
{
	const char *dir = getenv("PDMV2_SPEC_DIR");
	char path[4096];
	json_object *o;

	if (!dir)
		dir = "../shared/spec";
	snprintf(path, sizeof(path), "%s/vectors/%s", dir, name);
	o = json_object_from_file(path);
	if (!o) {
		fprintf(stderr, "cannot load test vectors %s: %s\n", path,
			json_util_get_last_err());
		exit(1);
	}
	return o;
}

json_object *
test_get(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("vector member \"%s\" missing", key);
	return v;
}

const char *
test_get_str(json_object *o, const char *key)
{
	return json_object_get_string(test_get(o, key));
}

int64_t
test_get_int(json_object *o, const char *key)
{
	return json_object_get_int64(test_get(o, key));
}

double
test_get_double(json_object *o, const char *key)
{
	return json_object_get_double(test_get(o, key));
}

size_t
test_hex(const char *hex, uint8_t *out, size_t max)
{
	long n = pdmv2_hex_decode(hex, out, max);

	if (n < 0)
		fail_msg("bad hex vector \"%s\"", hex);
	return (size_t)n;
}

const char *
test_data_path(const char *name)
{
	static char path[4096];
	const char *dir = getenv("PDMV2_TEST_DATA");

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/data", name);
	return path;
}

uint32_t
test_xorshift32(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}
