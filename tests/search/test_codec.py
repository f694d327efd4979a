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


def test_checking_a_few_postings_decompresses_only_their_blocks_and_reads_right():
    from array import array

    import numpy as np

    from search.codec import pack_values
    from search.snapshot import Postings

    rng = random.Random(5)
    values = [bytes(rng.randrange(256) for _ in range(rng.randint(3, 9))) for _ in range(8 * 50)]
    parts = [
        pack_values(b"".join(block), array("I", map(len, block)), False)
        for block in (values[i : i + 50] for i in range(0, len(values), 50))
    ]
    postings = Postings(np.arange(len(values), dtype=np.uint32), parts)
    chosen = np.array([3, 7, 160, 399])
    partial = postings.blob_covering(chosen)
    ends = postings.ends()
    for index in chosen.tolist():
        start = int(ends[index - 1]) if index else 0
        assert partial[start : int(ends[index])].tobytes() == values[index]
    assert postings._filled.tolist() == [True, False, False, True, False, False, False, True]
    # Once most blocks are needed, the whole list is decompressed once and kept.
    whole = postings.blob_covering(np.arange(0, 400, 40))
    assert whole.tobytes() == b"".join(values)
    assert postings.blob is whole
