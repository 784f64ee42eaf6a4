/*
 * samples_roundtrip.c - every encrypted option pdmv2-sample wrote opens
 * with the key log's keys through lib/ (the Kri layout's decryptor, the
 * Epoch layout's tracker), and its plaintext equals the values the
 * writer's truth records for that frame; options the truth calls forged
 * or keyless do not open.
 *
 * usage: samples_roundtrip CAPTURE KEYLOG TRUTH
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <json-c/json.h>
#include <pcap/pcap.h>

#include "pdmv2/decrypt.h"
#include "pdmv2/epoch.h"
#include "pdmv2/keylog.h"
#include "pdmv2/option.h"
#include "pdmv2/walk.h"

static long
ipv6_offset(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
		return 14;	/* the writer's VLAN frames are checked below */
	case DLT_LINUX_SLL:
		return 16;
	default:
		return 0;
	}
}

static int
field(json_object *o, const char *k, long *v)
{
	json_object *x;

	if (!json_object_object_get_ex(o, k, &x))
		return 0;
	*v = (long)json_object_get_int64(x);
	return 1;
}

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pdmv2_keylog *kl;
	GHashTable *decs, *trackers, *frames;
	json_object *truth, *arr;
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;
	uint64_t frame = 0, opened = 0, refused = 0, bad = 0;
	size_t i;

	if (argc != 4) {
		fprintf(stderr, "usage: %s CAPTURE KEYLOG TRUTH\n", argv[0]);
		return 2;
	}
	pdmv2_keylog_new(&kl);
	if (pdmv2_keylog_load_file(kl, argv[2]) != PDMV2_OK ||
	    pdmv2_keylog_nerrors(kl) != 0) {
		fprintf(stderr, "%s: key log did not load cleanly\n", argv[2]);
		return 1;
	}
	truth = json_object_from_file(argv[3]);
	if (!truth || !json_object_object_get_ex(truth, "frames", &arr)) {
		fprintf(stderr, "%s: no frames in truth\n", argv[3]);
		return 1;
	}
	frames = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (i = 0; i < json_object_array_length(arr); i++) {
		json_object *f = json_object_array_get_idx(arr, i);
		long n;

		field(f, "frame", &n);
		g_hash_table_insert(frames, GSIZE_TO_POINTER((gsize)n), f);
	}
	decs = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
				     (GDestroyNotify)g_bytes_unref,
				     (GDestroyNotify)pdmv2_decryptor_free);
	trackers = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
					 (GDestroyNotify)g_bytes_unref,
					 (GDestroyNotify)pdmv2_epoch_tracker_free);
	if (!(p = pcap_open_offline_with_tstamp_precision(argv[1],
			PCAP_TSTAMP_PRECISION_NANO, err))) {
		fprintf(stderr, "%s: %s\n", argv[1], err);
		return 1;
	}
	while (pcap_next_ex(p, &h, &data) == 1) {
		long off = ipv6_offset(pcap_datalink(p));
		struct pdmv2_walk w;
		struct pdmv2_option o;
		struct pdmv2_metrics m;
		struct pdmv2_kri_result r;
		struct pdmv2_epoch_result er;
		struct pdmv2_decryptor *d;
		struct pdmv2_epoch_tracker *et;
		enum pdmv2_err st;
		uint32_t phase;
		long phase_truth;
		const char *phase_key;
		uint8_t ft[PDMV2_FIVE_TUPLE_BYTES];
		json_object *tf;
		GBytes *key;
		const char *status;

		frame++;
		if (pcap_datalink(p) == DLT_EN10MB && h->caplen > 13 &&
		    data[12] == 0x81 && data[13] == 0x00)
			off = 18;
		if (pdmv2_walk_ipv6(data + off, h->caplen - (size_t)off,
				    PDMV2_OPTION_TYPE_DEFAULT, &w) != PDMV2_OK ||
		    w.n_opts == 0 ||
		    pdmv2_option_parse(data + off + w.opts[0].opt_off,
				       w.opts[0].opt_avail, &o) != PDMV2_OK ||
		    o.variant != PDMV2_VARIANT_ENCRYPTED)
			continue;
		tf = g_hash_table_lookup(frames, GSIZE_TO_POINTER((gsize)frame));
		if (!tf) {
			printf("frame %llu: not in the truth\n", (unsigned long long)frame);
			bad++;
			continue;
		}
		pdmv2_five_tuple(w.src, w.dst, w.sport, w.dport, w.proto, ft);
		key = g_bytes_new(ft, sizeof(ft));
		if (o.layout == PDMV2_LAYOUT_EPOCH) {
			if (!(et = g_hash_table_lookup(trackers, key))) {
				pdmv2_epoch_tracker_new(kl, ft, &et);
				g_hash_table_insert(trackers, g_bytes_ref(key), et);
			}
			pdmv2_epoch_track(et, &o, frame, 0, &m, &er);
			st = er.status;
			phase = er.epoch;
			phase_key = "epoch";
		} else {
			if (!(d = g_hash_table_lookup(decs, key))) {
				pdmv2_decryptor_new(kl, ft, 16, &d);
				g_hash_table_insert(decs, g_bytes_ref(key), d);
			}
			pdmv2_decryptor_open(d, &o, frame, 0, &m, &r);
			st = r.status;
			phase = r.kri;
			phase_key = "kri";
		}
		g_bytes_unref(key);
		status = json_object_get_string(json_object_object_get(tf, "status"));
		if (strcmp(status, "decrypted") == 0) {
			long v[8];
			int ok = st == PDMV2_OK && field(tf, phase_key, &phase_truth) &&
				 phase_truth == (long)phase && field(tf, "psntp", &v[1]) &&
				 field(tf, "psnlr", &v[2]) &&
				 field(tf, "delta_tlr", &v[3]) && field(tf, "delta_tls", &v[4]) &&
				 field(tf, "global_pointer", &v[5]) &&
				 field(tf, "scale_dtlr", &v[6]) && field(tf, "scale_dtls", &v[7]) &&
				 v[1] == m.psntp && v[2] == m.psnlr &&
				 v[3] == m.delta_tlr && v[4] == m.delta_tls &&
				 v[5] == (long)m.global_pointer && v[6] == m.scale_dtlr &&
				 v[7] == m.scale_dtls;

			if (ok) {
				opened++;
			} else {
				printf("frame %llu: opened as %s (%s %u), truth differs\n",
				       (unsigned long long)frame, pdmv2_strerror(st),
				       phase_key, phase);
				bad++;
			}
		} else if (st == PDMV2_OK) {
			printf("frame %llu: opened, but the truth says %s\n",
			       (unsigned long long)frame, status);
			bad++;
		} else {
			refused++;
		}
	}
	pcap_close(p);
	printf("%llu opened and equal to the truth, %llu refused as the truth says, %llu wrong\n",
	       (unsigned long long)opened, (unsigned long long)refused,
	       (unsigned long long)bad);
	g_hash_table_destroy(decs);
	g_hash_table_destroy(trackers);
	g_hash_table_destroy(frames);
	json_object_put(truth);
	pdmv2_keylog_free(kl);
	return bad == 0 && opened > 0 ? 0 : 1;
}
