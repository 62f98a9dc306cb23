"""RFC 6962 / RFC 9162 Merkle tree hashing and consistency proofs, streaming.

leaf hash = SHA-256(0x00 || leaf data), node hash = SHA-256(0x01 || left || right); a tree of n
leaves splits at the largest power of two below n. `TreeBuilder` computes the root over leaves
fed one by one with a stack of perfect subtrees (O(n) time, O(log n) memory). A consistency
proof consists of the roots of O(log n) disjoint subtrees of the larger tree; `consistency_ranges`
names them in proof order, so they can be hashed during the same single pass over the leaves.
"""
from hashlib import sha256

EMPTY_ROOT = sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01" + left + right).digest()


class TreeBuilder:
    """The Merkle tree hash of the leaves pushed so far."""

    __slots__ = ("size", "stack")

    def __init__(self):
        self.size = 0
        self.stack = []  # roots of perfect subtrees, largest first

    def push(self, data: bytes):
        """Append one leaf (its data, hashed here)."""
        self.push_hash(sha256(b"\x00" + data).digest())

    def push_hash(self, digest: bytes):
        """Append one leaf by its leaf hash."""
        stack, n = self.stack, self.size
        while n & 1:
            digest = sha256(b"\x01" + stack.pop() + digest).digest()
            n >>= 1
        stack.append(digest)
        self.size += 1

    def root(self) -> bytes:
        if not self.stack:
            return EMPTY_ROOT
        digest = self.stack[-1]
        for left in reversed(self.stack[:-1]):
            digest = sha256(b"\x01" + left + digest).digest()
        return digest


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def consistency_ranges(m: int, n: int):
    """The leaf ranges [a, b) whose subtree roots form PROOF(m, D[n]) (RFC 6962 2.1.2), in order."""
    if not 0 < m < n:
        return []

    def subproof(m, lo, hi, complete):
        if m == hi - lo:
            return [] if complete else [(lo, hi)]
        k = _split(hi - lo)
        if m <= k:
            return subproof(m, lo, lo + k, complete) + [(lo + k, hi)]
        return subproof(m - k, lo + k, hi, False) + [(lo, lo + k)]

    return subproof(m, 0, n, True)


def root_of(leaves) -> bytes:
    """The tree hash of a list of leaf data (for tests and small trees)."""
    builder = TreeBuilder()
    for data in leaves:
        builder.push(data)
    return builder.root()


def consistency_proof(leaves, m: int):
    """PROOF(m, D[n]) for a list of leaf data (small trees; the database is streamed instead)."""
    return [root_of(leaves[a:b]) for a, b in consistency_ranges(m, len(leaves))]


def verify_consistency(m: int, n: int, first: bytes, second: bytes, proof) -> bool:
    """Whether `proof` shows that the tree of size m with root `first` is a prefix of the tree of
    size n with root `second` (RFC 9162 2.1.4.2)."""
    if m > n or m < 0:
        return False
    if m == n:
        return not proof and first == second
    if m == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if m & (m - 1) == 0:  # an exact power of two: the old root is itself a node of the new tree
        path.insert(0, first)
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first and sr == second and sn == 0
