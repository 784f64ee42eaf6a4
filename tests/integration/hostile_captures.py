#!/usr/bin/env python3
"""Writes small hostile captures into the current directory for
analyzer_hostile.sh: pcapng time stamps at the ends of the range, time
running backwards, a PDM option longer than its header, a first record
libpcap cannot read, a pcapng with two link types.  Built byte by byte
from the pcap, pcapng (draft-ietf-opsawg-pcapng) and IPv6 formats."""
import struct

LINKTYPE_RAW = 101
LINKTYPE_ETHERNET = 1


def ipv6_pdm(src_last, sport, dport, pdm_len=10):
    """Raw IPv6 / Destination Options (one RFC 8250 PDM option, type
    0x0F, Option Length pdm_len, in a 16-byte header) / UDP."""
    body = bytes([0x0F, pdm_len]) + bytes(10)        # 12 bytes
    dst = bytes([17, 1]) + body + bytes([1, 0])     # PadN(0): 16 bytes
    udp = struct.pack(">HHHH", sport, dport, 8, 0)
    payload = dst + udp
    src = bytes.fromhex("20010db8000000000000000000000000")[:15] + bytes([src_last])
    dsta = bytes.fromhex("20010db8000000000000000000000099")
    hdr = struct.pack(">IHBB", 0x60000000, len(payload), 60, 64) + src + dsta
    return hdr + payload


def pcap(records, linktype=LINKTYPE_RAW, nano=True):
    """records: (sec, frac, bytes)"""
    out = struct.pack("<IHHiIII", 0xA1B23C4D if nano else 0xA1B2C3D4, 2, 4,
                      0, 0, 262144, linktype)
    for sec, frac, data in records:
        out += struct.pack("<IIII", sec, frac, len(data), len(data)) + data
    return out


def block(btype, body):
    body += bytes(-len(body) % 4)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def shb():
    return block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))


def opt(code, value):
    return struct.pack("<HH", code, len(value)) + value + bytes(-len(value) % 4)


def idb(linktype, options=b""):
    if options:
        options += opt(0, b"")
    return block(1, struct.pack("<HHI", linktype, 0, 262144) + options)


def epb(stamp, data, iface=0):
    return block(6, struct.pack("<IIIII", iface, stamp >> 32, stamp & 0xFFFFFFFF,
                                len(data), len(data)) + data)


def write(name, data):
    with open(name, "wb") as f:
        f.write(data)


def main():
    pkt = ipv6_pdm(1, 5000, 6000)

    # if_tsresol 10^0: stamps are seconds; 2^40 s lies far past 2262.
    write("tsresol-seconds.pcapng",
          shb() + idb(LINKTYPE_RAW, opt(9, b"\x00")) +
          epb(1_700_000_000, pkt) + epb(1 << 40, pkt))
    # nanosecond stamps (if_tsresol 9) after 2262: 2^63 + 5 ns.
    write("ns-after-2262.pcapng",
          shb() + idb(LINKTYPE_RAW, opt(9, b"\x09")) +
          epb(1_700_000_000 * 10**9, pkt) + epb((1 << 63) + 5, pkt))
    # if_tsoffset of -2^62 s: far before 1677.
    write("tsoffset.pcapng",
          shb() + idb(LINKTYPE_RAW, opt(14, struct.pack("<q", -(1 << 62)))) +
          epb(1_700_000_000 * 10**6, pkt))
    # Time running backwards within one flow.
    write("backwards.pcap", pcap([(1_700_000_100, 0, pkt), (1_700_000_000, 0, pkt),
                                  (1_700_000_050, 0, pkt)]))
    # A PDM option claiming 34 bytes in a 16-byte header (PROFILE.md 2.4).
    write("overrun.pcap", pcap([(1_700_000_000, 0, ipv6_pdm(1, 5000, 6000, 34)),
                                (1_700_000_001, 0, pkt)]))
    # A valid header, then a first record no reader can take.
    write("bad-first-record.pcap",
          pcap([]) + struct.pack("<IIII", 1_700_000_000, 0, 0xFFFFFF00, 0xFFFFFF00) +
          bytes(64))
    # Two link types: libpcap refuses the second interface.
    write("two-linktypes-first.pcapng",
          shb() + idb(LINKTYPE_RAW) + idb(LINKTYPE_ETHERNET) + epb(10**15, pkt))
    write("two-linktypes-later.pcapng",
          shb() + idb(LINKTYPE_RAW) + epb(10**15, pkt) + epb(10**15 + 1, pkt) +
          idb(LINKTYPE_ETHERNET) + epb(10**15 + 2, pkt, 1))
    # A plain good capture.
    write("good.pcap", pcap([(1_700_000_000, 0, pkt), (1_700_000_001, 0, pkt)]))


if __name__ == "__main__":
    main()
