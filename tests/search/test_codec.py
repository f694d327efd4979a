"""The posting format: ids survive packing whatever the gaps between them."""

from __future__ import annotations

import random

import pytest

from search.codec import decode_ids, pack_ids, unpack_ids


@pytest.mark.parametrize("largest_gap", [1, 255, 256, 65_535, 65_536, 2**31])
def test_posting_ids_come_back_exactly_for_every_gap_width(largest_gap):
    rng = random.Random(largest_gap)
    ids = [rng.randrange(0, 1000)]
    for _ in range(4095):
        ids.append(ids[-1] + rng.randint(1, largest_gap))
    ids = [i for i in ids if i < 2**32]
    packed = pack_ids(ids)
    assert decode_ids(packed).tolist() == ids
    assert list(unpack_ids(packed)) == ids
    # Small gaps take one byte each: the lists most queries read stay small.
    if largest_gap < 256:
        assert len(packed) == 5 + len(ids) - 1


def test_a_single_posting_round_trips():
    assert decode_ids(pack_ids([7])).tolist() == [7]
