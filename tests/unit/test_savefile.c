/*
 * test_savefile.c - the analyzer's block reader (analyzer/savefile.h)
 * gives, on crafted pcap files, the very records and the very end that
 * libpcap's pcap_next_ex gives alone; it takes the files and records it
 * should, and hands the others to libpcap.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "savefile_diff.h"

#define USEC 0xa1b2c3d4u
#define NSEC 0xa1b23c4du

struct file {
	uint8_t *b;
	size_t n, cap;
};

static void
put(struct file *f, const void *p, size_t n)
{
	if (f->n + n > f->cap) {
		f->cap = (f->n + n) * 2;
		f->b = realloc(f->b, f->cap);
		assert_non_null(f->b);
	}
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

static uint32_t
swap32(uint32_t v)
{
	return v >> 24 | (v >> 8 & 0xff00) | (v << 8 & 0xff0000) | v << 24;
}

static void
put32(struct file *f, uint32_t v, bool swapped)
{
	v = swapped ? swap32(v) : v;
	put(f, &v, 4);
}

static void
header(struct file *f, uint32_t magic, uint16_t minor, uint32_t snaplen,
       uint32_t linktype, bool swapped)
{
	uint16_t ver[2] = {2, minor};

	put32(f, magic, swapped);
	if (swapped) {
		ver[0] = (uint16_t)(ver[0] << 8);
		ver[1] = (uint16_t)(ver[1] << 8 | ver[1] >> 8);
	}
	put(f, ver, sizeof ver);
	put32(f, 0, false);
	put32(f, 0, false);
	put32(f, snaplen, swapped);
	put32(f, linktype, swapped);
}

/* a record of caplen bytes whose content depends on its number */
static void
record(struct file *f, uint32_t sec, uint32_t frac, uint32_t caplen,
       uint32_t len, bool swapped, unsigned k)
{
	uint32_t i;

	put32(f, sec, swapped);
	put32(f, frac, swapped);
	put32(f, caplen, swapped);
	put32(f, len, swapped);
	for (i = 0; i < caplen; i++) {
		uint8_t c = (uint8_t)(k * 31 + i * 7);

		put(f, &c, 1);
	}
}

/* lengths 0..1517, so records straddle the 64 KiB reads in every way */
static void
records(struct file *f, unsigned from, unsigned count, bool swapped)
{
	unsigned k;

	for (k = from; k < from + count; k++) {
		uint32_t caplen = (k * 389u) % 1518u;

		record(f, 1700000000u + k, (k * 7919u) % 1000000u, caplen,
		       caplen + k % 3, swapped, k);
	}
}

static struct savefile_diff
compare(struct file *f)
{
	struct savefile_diff d;

	savefile_diff(f->b, f->n, &d);
	free(f->b);
	memset(f, 0, sizeof *f);
	if (d.differs[0])
		fail_msg("block reader and libpcap differ: %s", d.differs);
	assert_true(d.opened);
	return d;
}

static void
test_block_reader_takes_a_whole_file_as_libpcap_reads_it(void **state)
{
	struct file f = {0};
	struct savefile_diff d;

	(void)state;
	header(&f, USEC, 4, 262144, DLT_EN10MB, false);
	records(&f, 0, 3000, false);
	d = compare(&f);
	assert_true(d.block_reader);
	assert_int_equal(d.records, 3000);
	assert_int_equal(d.by_blocks, 3000);
	assert_int_equal(d.end, PCAP_ERROR_BREAK);
}

/* nanosecond stamps pass through; signed seconds and fractions are
 * widened as libpcap widens them */
static void
test_block_reader_converts_stamps_as_libpcap(void **state)
{
	struct file f = {0};
	struct savefile_diff d;

	(void)state;
	header(&f, NSEC, 4, 65535, DLT_RAW, false);
	record(&f, 0x80000000u, 999999999u, 40, 40, false, 1);
	record(&f, 0xffffffffu, 0xffffffffu, 40, 40, false, 2);
	record(&f, 0, 0, 0, 0, false, 3);
	d = compare(&f);
	assert_int_equal(d.by_blocks, 3);

	header(&f, USEC, 4, 65535, DLT_RAW, false);
	record(&f, 0x7fffffffu, 0x80000000u, 40, 60, false, 1);
	record(&f, 1, 999999, 40, 60, false, 2);
	d = compare(&f);
	assert_int_equal(d.by_blocks, 2);
}

/* a record longer than a read block, as long as the snapshot allows */
static void
test_block_reader_takes_records_longer_than_its_reads(void **state)
{
	struct file f = {0};
	struct savefile_diff d;

	(void)state;
	header(&f, USEC, 4, 262144, DLT_EN10MB, false);
	records(&f, 0, 10, false);
	record(&f, 5, 5, 262144, 262144, false, 10);
	record(&f, 6, 6, 200000, 300000, false, 11);
	records(&f, 12, 10, false);
	d = compare(&f);
	assert_int_equal(d.records, 22);
	assert_int_equal(d.by_blocks, 22);
}

/* libpcap cuts a record longer than the snapshot to it and reads on:
 * the block reader leaves that record, and the rest, to libpcap */
static void
test_block_reader_hands_an_oversized_record_to_libpcap(void **state)
{
	struct file f = {0};
	struct savefile_diff d;

	(void)state;
	header(&f, USEC, 4, 1000, DLT_EN10MB, false);
	records(&f, 0, 500, false);	/* lengths up to 1517 */
	d = compare(&f);
	assert_true(d.block_reader);
	assert_true(d.by_blocks < d.records);	/* some are over 1000 */
	assert_int_equal(d.end, PCAP_ERROR_BREAK);

	header(&f, USEC, 4, 100, DLT_EN10MB, false);
	record(&f, 1, 1, 100, 100, false, 1);
	record(&f, 2, 2, 101, 150, false, 2);
	record(&f, 3, 3, 10, 10, false, 3);
	d = compare(&f);
	assert_int_equal(d.records, 3);
	assert_int_equal(d.by_blocks, 1);
}

/* a capture length past any snapshot is libpcap's error, word for word */
static void
test_block_reader_leaves_an_invalid_length_to_libpcap(void **state)
{
	struct file f = {0};
	struct savefile_diff d;

	(void)state;
	header(&f, USEC, 4, 262144, DLT_EN10MB, false);
	records(&f, 0, 20, false);
	record(&f, 1, 1, 0, 0, false, 1);
	f.n -= 8;		/* the last header's lengths, rewritten: */
	put32(&f, 0x7fffffffu, false);
	put32(&f, 0x7fffffffu, false);
	d = compare(&f);
	assert_int_equal(d.records, 20);
	assert_int_equal(d.by_blocks, 20);
	assert_int_equal(d.end, PCAP_ERROR);
	assert_non_null(strstr(d.error, "invalid packet capture length"));
}

/* a file cut in a record header or in its data ends as libpcap ends it:
 * the records before it, then its "truncated dump file" error */
static void
test_block_reader_ends_a_cut_file_as_libpcap(void **state)
{
	size_t cut[] = {7, 16, 16 + 1, 16 + 39};
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof cut / sizeof cut[0]; i++) {
		struct file f = {0};
		struct savefile_diff d;

		header(&f, USEC, 4, 262144, DLT_EN10MB, false);
		records(&f, 0, 100, false);
		record(&f, 9, 9, 40, 40, false, 100);
		f.n -= 16 + 40 - cut[i];
		d = compare(&f);
		assert_int_equal(d.records, 100);
		assert_int_equal(d.by_blocks, 100);
		assert_int_equal(d.end, PCAP_ERROR);
		assert_non_null(strstr(d.error, "truncated dump file"));
	}
}

static void
test_block_reader_ends_at_an_empty_file(void **state)
{
	struct file f = {0};
	struct savefile_diff d;

	(void)state;
	header(&f, NSEC, 4, 262144, DLT_EN10MB, false);
	d = compare(&f);
	assert_true(d.block_reader);
	assert_int_equal(d.records, 0);
	assert_int_equal(d.end, PCAP_ERROR_BREAK);
}

/* what libpcap changes on the way out is left to libpcap: the other
 * byte order, older versions, link types with fixed-up headers */
static void
test_block_reader_declines_files_libpcap_rewrites(void **state)
{
	struct file f = {0};
	struct savefile_diff d;

	(void)state;
	header(&f, USEC, 4, 262144, DLT_EN10MB, true);
	records(&f, 0, 50, true);
	d = compare(&f);
	assert_false(d.block_reader);
	assert_int_equal(d.records, 50);

	header(&f, USEC, 3, 262144, DLT_EN10MB, false);
	records(&f, 0, 50, false);
	d = compare(&f);
	assert_false(d.block_reader);
	assert_int_equal(d.records, 50);

	header(&f, USEC, 4, 262144, DLT_USB_LINUX_MMAPPED, false);
	records(&f, 0, 50, false);
	d = compare(&f);
	assert_false(d.block_reader);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_block_reader_takes_a_whole_file_as_libpcap_reads_it),
		cmocka_unit_test(test_block_reader_converts_stamps_as_libpcap),
		cmocka_unit_test(test_block_reader_takes_records_longer_than_its_reads),
		cmocka_unit_test(test_block_reader_hands_an_oversized_record_to_libpcap),
		cmocka_unit_test(test_block_reader_leaves_an_invalid_length_to_libpcap),
		cmocka_unit_test(test_block_reader_ends_a_cut_file_as_libpcap),
		cmocka_unit_test(test_block_reader_ends_at_an_empty_file),
		cmocka_unit_test(test_block_reader_declines_files_libpcap_rewrites),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
