#!/bin/sh
# The writer's captures are valid: the system tshark (no plugin) reads
# every format and link type written, reports no read error, and counts
# the packets the truth says were captured.
# usage: samples_tshark.sh BUILD_DIR
set -eu
build=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/pdmv2-tsh.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail=0
for fmt in pcap pcap-ns pcapng; do
	for link in ethernet vlan raw sll; do
		cap=$dir/$fmt-$link.cap
		"$build/samples/pdmv2-sample" -o "$cap" -t "$dir/t.json" -F "$fmt" \
			-l "$link" --udp 2 --tcp 1 --icmp 1 -n 12 -r 5 --hop-by-hop \
			--seed 21 --no-truth-frames
		want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["capture"]["packets"])' "$dir/t.json")
		if ! got=$(tshark -n -r "$cap" -T fields -e frame.number 2>"$dir/err" | wc -l); then
			got=error
		fi
		# tshark's read errors ("appears to be damaged", "cut short")
		if grep -v "Running as user" "$dir/err" | grep -q .; then
			echo "$fmt/$link: tshark said: $(cat "$dir/err")"
			fail=1
		fi
		ipv6=$(tshark -n -r "$cap" -Y ipv6 -T fields -e frame.number 2>/dev/null | wc -l)
		if [ "$got" != "$want" ] || [ "$ipv6" != "$want" ]; then
			echo "$fmt/$link: tshark counts $got frames ($ipv6 IPv6), truth $want"
			fail=1
		else
			echo "$fmt/$link: $got frames, all IPv6"
		fi
	done
done
exit $fail
