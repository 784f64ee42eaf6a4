#!/bin/sh
# Regenerates the bundled captures in samples/data/ with their key logs
# and ground truth.  usage: sh samples/regen.sh [BUILD_DIR [OUT_DIR]]
# The output is reproducible: same writer version and seeds, same bytes
# (the files are named relative to OUT_DIR, so the truth's generator
# arguments do not depend on where the tree is).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$top/build}" && pwd)/samples/pdmv2-sample
out=${2:-$top/samples/data}
cd "$out"

gen() {
	name=$1 ext=$2
	shift 2
	"$bin" -o "$name.$ext" -k "$name.keylog" -t "$name.truth.json" "$@"
}

# A clean encrypted UDP conversation with two key rotations.
gen clean-rotation pcap --udp 1 -n 30 -r 24 --seed 101
# Loss before and after the tap, reordering at the tap, bursts.
gen lossy-reordered pcap --udp 2 -n 50 -r 20 --burst 3 --loss 0.06 \
	--loss-after 0.04 --reorder 0.08 --seed 102
# RFC 8250 PDM, PDMv2 plain and PDMv2 encrypted flows side by side.
gen mixed-versions pcapng -F pcapng -m mixed --udp 3 --tcp 2 --icmp 1 -n 15 \
	-r 10 -a mixed --seed 103
# Link-local addresses, ICMPv6 echo and UDP, 802.1Q tagged.
gen link-local pcap -l vlan --link-local --icmp 1 --udp 1 -n 30 -r 16 --seed 104
# The capture starts in the middle of the conversations (kri already > 0).
gen mid-flow pcap --udp 2 --tcp 1 -n 40 -r 8 --skip 70 --seed 105
# An on-path forgery (flipped tag bits) and a flow whose key is missing.
gen forged-missing-key pcap --udp 3 -n 25 -r 12 --forge 3 --missing-key --seed 106
# A sender reusing a PRSEQ under one key (nonce reuse) and a node restart.
gen nonce-reuse-restart pcap -F pcap-ns -l raw --udp 2 -n 30 -r 12 \
	--prseq-reuse --restart --background 2 --seed 107
# The Epoch layout (drafts -09 to -14), protected: every sender starts 46
# packets below the 2^32 PSNTP wrap, a new Epoch every 40 packets and at
# the wrap, loss before and after the tap, reordering at the tap.
gen epoch-wrap-lossy pcap --layout epoch --udp 2 -n 60 -r 40 \
	--psntp-start 4294967250 --loss 0.05 --loss-after 0.03 --reorder 0.05 \
	--seed 108
# RFC 8250 PDM, the Kri layout and the Epoch layout, plain and encrypted,
# in one capture (odd flows in the Epoch layout).
gen mixed-layouts pcapng -F pcapng -m mixed --layout mixed --udp 3 --tcp 2 \
	--icmp 1 -n 15 -r 10 -a mixed --seed 109
