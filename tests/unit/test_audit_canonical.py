"""The verifier's fast text form of a history row equals the hash input of history.event_hash."""
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from zsa_flow.services.audit_verify import canonical_body
from zsa_flow.services.history import canonical

TEXT = st.one_of(st.none(), st.text())
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                    | st.text(), lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
                    max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(version=st.sampled_from([1, 2, 3]), prev=st.text(), number=st.text(), seq=st.integers(0, 10**9),
       typ=st.text(), element_id=TEXT, element_name=TEXT, actor=st.text(), at=st.text(), definition_hash=TEXT,
       data=st.dictionaries(st.text(), JSON, max_size=4), ciphertext=st.one_of(st.none(), st.binary()))
def test_the_fast_body_equals_the_canonical_json(version, prev, number, seq, typ, element_id, element_name, actor,
                                                 at, definition_hash, data, ciphertext):
    from hashlib import sha256

    if version == 1:
        body = [prev, number, seq, typ, element_id, actor, at, data]
    elif version == 2:
        body = ["zsa-chain-2", prev, number, seq, typ, element_id, element_name, actor, at, definition_hash, data]
    else:
        body = ["zsa-chain-3", prev, number, seq, typ, element_id, element_name, actor, at, definition_hash, data,
                sha256(ciphertext).hexdigest() if ciphertext is not None else None]
    fast = canonical_body(version, prev, number, seq, typ, element_id, element_name, actor, at, definition_hash,
                          json.dumps(data), ciphertext)
    assert fast == canonical(body)
