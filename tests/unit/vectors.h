/*
 * vectors.h - test helpers: load the shared spec vectors (read at run
 * time, never pasted), decode hex, draw repeatable pseudo-random
 * numbers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PDMV2_TEST_VECTORS_H
#define PDMV2_TEST_VECTORS_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

/* Parse $PDMV2_SPEC_DIR/vectors/<name>; aborts the test run if missing. */
json_object *test_load_vectors(const char *name);

/* Member lookups that fail the test when the member is absent. */
json_object *test_get(json_object *o, const char *key);
const char *test_get_str(json_object *o, const char *key);
int64_t test_get_int(json_object *o, const char *key);
double test_get_double(json_object *o, const char *key);

/* Hex string to bytes; returns the byte count, fails the test on bad hex
 * or when it does not fit in max. */
size_t test_hex(const char *hex, uint8_t *out, size_t max);

/* Marsaglia's xorshift32: the same pseudo-random walk on every run,
 * so a failing model test fails again. state must not be 0. */
uint32_t test_xorshift32(uint32_t *state);

/* Path of a file under $PDMV2_TEST_DATA (static buffer). */
const char *test_data_path(const char *name);

#endif
