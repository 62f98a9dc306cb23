"""RFC 6962 Merkle tree hashing and consistency proofs (services/merkle.py)."""
import random
from hashlib import sha256

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zsa_flow.services.merkle import (EMPTY_ROOT, TreeBuilder, consistency_proof, consistency_ranges, leaf_hash,
                                      node_hash, root_of, verify_consistency)

# The test vectors of the certificate-transparency reference implementation (RFC 6962 trees).
LEAVES = [b"", b"\x00", b"\x10", b"\x20\x21", b"\x30\x31", b"\x40\x41\x42\x43",
          b"\x50\x51\x52\x53\x54\x55\x56\x57", bytes(range(0x60, 0x70))]
ROOTS = ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
         "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
         "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
         "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
         "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
         "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
         "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
         "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"]
PROOFS = {
    (1, 8): ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
             "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
    (6, 8): ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
             "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
    (2, 5): ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"],
}


def reference_root(leaves):
    """MTH straight from RFC 6962 2.1, recursively."""
    if not leaves:
        return sha256(b"").digest()
    if len(leaves) == 1:
        return leaf_hash(leaves[0])
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node_hash(reference_root(leaves[:k]), reference_root(leaves[k:]))


def test_roots_match_the_reference_vectors():
    assert root_of([]) == EMPTY_ROOT
    for size, expected in enumerate(ROOTS, start=1):
        assert root_of(LEAVES[:size]).hex() == expected


@pytest.mark.parametrize("m, n", list(PROOFS))
def test_consistency_proofs_match_the_reference_vectors(m, n):
    proof = consistency_proof(LEAVES[:n], m)
    assert [p.hex() for p in proof] == PROOFS[(m, n)]
    assert verify_consistency(m, n, bytes.fromhex(ROOTS[m - 1]), bytes.fromhex(ROOTS[n - 1]), proof)


def test_the_streaming_builder_equals_the_recursive_definition():
    builder, leaves = TreeBuilder(), []
    for i in range(300):
        leaves.append(i.to_bytes(4, "big"))
        builder.push(leaves[-1])
        assert builder.root() == reference_root(leaves)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(min_value=1, max_value=300), data=st.data())
def test_a_proof_verifies_for_every_prefix_and_fails_when_a_leaf_changed(n, data):
    leaves = [random.randbytes(8) for _ in range(n)]
    new_root = root_of(leaves)
    for m in range(0, n + 1):
        proof = consistency_proof(leaves, m)
        old_root = root_of(leaves[:m])
        assert verify_consistency(m, n, old_root, new_root, proof)
        assert len(consistency_ranges(m, n)) == len(proof) <= 2 * n.bit_length()
        if 0 < m < n:
            changed = list(leaves)
            changed[data.draw(st.integers(0, m - 1))] = b"changed"
            assert not verify_consistency(m, n, root_of(changed[:m]), new_root, proof)  # old tree differs
            assert not verify_consistency(m, n, old_root, root_of(changed), proof)  # history rewritten
    assert not verify_consistency(n + 1, n, new_root, new_root, [])


def test_the_ranges_of_a_proof_are_disjoint_subtrees():
    for n in range(2, 200):
        for m in range(1, n):
            ranges = sorted(consistency_ranges(m, n))
            assert all(a < b for a, b in ranges)
            assert all(ranges[i][1] <= ranges[i + 1][0] for i in range(len(ranges) - 1))
