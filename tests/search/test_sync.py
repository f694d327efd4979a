"""Writing the index: outbox batches, checkpoints, rebuilds, several processes at once."""

from __future__ import annotations

import multiprocessing
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import TEXT, Schema

from search import (
    IndexBusyError,
    IndexDocument,
    SearchIndex,
    SearchQuery,
    document_count,
    ensure_index,
)
from search import build as search_build
from search import index as search_index


def find(index: SearchIndex, text: str) -> set[str]:
    return {h.doc_id for h in index.search(SearchQuery(text=text, per_page=50)).hits}


def test_a_new_index_is_empty_at_checkpoint_zero(index, index_dir):
    assert index.count() == 0
    assert index.checkpoint == 0
    assert index.doc_ids() == set()
    assert document_count(index_dir) == 0


def test_apply_upserts_deletes_and_records_the_checkpoint(index, index_dir, make_doc):
    index.apply([make_doc("盗窃案", "甲", doc_id="a"), make_doc("诈骗案", "乙", doc_id="b")], [], 7)
    assert (index.count(), index.checkpoint, index.doc_ids()) == (2, 7, {"a", "b"})
    index.apply([make_doc("抢劫案", "甲", doc_id="a")], ["b"], 8)
    assert index.doc_ids() == {"a"}
    assert find(index, "抢劫") == {"a"}
    assert find(index, "盗窃") == set()  # replaced, not added twice
    assert index.checkpoint == 8
    assert document_count(index_dir) == 1


def test_an_edited_document_shows_its_new_title_and_text_in_results(index, make_doc):
    index.apply([make_doc("盗窃案起诉书", "被告人甲盗窃手机一部。", doc_id="a")], [], 1)
    assert index.search(SearchQuery(text="盗窃")).hits[0].title == "盗窃案起诉书"
    index.apply([make_doc("盗窃案不起诉决定书", "被告人甲盗窃手机后已退赃。", doc_id="a")], [], 2)
    hit = index.search(SearchQuery(text="盗窃")).hits[0]
    assert hit.title == "盗窃案不起诉决定书" and "退赃" in hit.fragment_html


def test_result_documents_kept_in_memory_stay_within_their_budget(index, make_doc, monkeypatch):
    from search import snapshot

    body = "被告人在示例区滨江路盗窃手机。" * 20
    index.apply([make_doc(f"盗窃案{n}", body, doc_id=str(n)) for n in range(12)], [], 1)
    monkeypatch.setattr(snapshot, "STORED_CHARS", 3 * len(body) + 20)
    for page in (1, 2, 3, 1):
        hits = index.search(SearchQuery(text="盗窃", page=page, per_page=4)).hits
        assert len(hits) == 4 and all("<mark>盗窃</mark>" in hit.fragment_html for hit in hits)
    snap, _engine = index._view()
    assert len(snap._stored) == 3 and snap._stored_chars <= snapshot.STORED_CHARS


def test_an_id_both_upserted_and_deleted_in_a_batch_is_deleted(index, make_doc):
    index.apply([make_doc("旧", "内容", doc_id="x")], [], 1)
    index.apply([make_doc("新", "内容", doc_id="x")], ["x"], 2)
    assert index.doc_ids() == set()


def test_the_last_upsert_of_an_id_in_a_batch_wins(index, make_doc):
    index.apply([make_doc("第一版", "", doc_id="x"), make_doc("第二版", "", doc_id="x")], [], 1)
    assert index.count() == 1
    assert index.search(SearchQuery(text="")).hits[0].title == "第二版"


def test_many_small_batches_merge_segments_and_keep_everything(index, make_doc):
    for n in range(1, 26):
        index.apply([make_doc(f"文书{n}", f"正文第{n}号 醉驾 English words", doc_id=str(n))], [], n)
    index.apply([], ["3", "4"], 26)
    assert index.count() == 23
    assert find(index, "醉驾") == {str(n) for n in range(1, 26)} - {"3", "4"}
    assert index.search(SearchQuery(text="englsh")).suggestion == "english"
    assert index.checkpoint == 26


def test_another_instance_sees_writes_without_reopening(index_dir, make_doc):
    reader = SearchIndex(index_dir)
    writer = SearchIndex(index_dir)
    assert find(reader, "开放日") == set()
    writer.apply([make_doc("检察开放日", "欢迎参观", doc_id="open")], [], 3)
    assert find(reader, "开放日") == {"open"}
    assert reader.checkpoint == 3
    writer.apply([], ["open"], 4)
    assert find(reader, "开放日") == set()
    reader.close()
    writer.close()


def test_rebuild_swaps_atomically_and_old_readers_keep_working(index, index_dir, make_doc):
    index.apply([make_doc("旧文书", "旧内容", doc_id="old")], [], 5)
    opened = SearchIndex(index_dir)
    snapshot, _engine = opened._view()  # a searcher opened before the rebuild
    seen: list[int] = []
    count = index.rebuild(
        (make_doc(f"新文书{n}", "新内容", doc_id=f"new{n}") for n in range(3)), 40, seen.append
    )
    assert count == 3
    assert seen[-1] == 3
    # The old snapshot still answers from the old generation...
    assert snapshot.doc_ids() == {"old"}
    # ...and every instance moves to the new one at its next call.
    assert find(opened, "内容") == {"new0", "new1", "new2"}
    assert opened.checkpoint == index.checkpoint == 40
    link = Path(index_dir)
    assert link.is_symlink()
    assert len(list(link.parent.glob("index.gen-*"))) == 2  # the new one and the previous
    opened.close()


def test_a_failed_rebuild_leaves_the_index_untouched(index, index_dir, make_doc):
    index.apply([make_doc("保留", "内容", doc_id="keep")], [], 2)
    before = set(Path(index_dir).parent.iterdir())

    def broken():
        yield make_doc("半截", "内容", doc_id="half")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError, match="database went away"):
        index.rebuild(broken(), 9)
    assert index.doc_ids() == {"keep"}
    assert index.checkpoint == 2
    assert set(Path(index_dir).parent.iterdir()) == before


def test_a_large_rebuild_uses_worker_processes(index, make_doc, monkeypatch):
    monkeypatch.setattr(search_build, "PARALLEL_FROM", 50)
    monkeypatch.setattr(search_build, "BATCH", 20)
    docs = [
        make_doc(f"文书{n}", f"第{n}号 被告人王某某醉酒驾驶", doc_id=str(n)) for n in range(300)
    ]
    index.procs = 2
    assert index.rebuild(docs, 12) == 300
    assert index.count() == 300
    assert len(find(index, "王某某醉酒")) == 50  # one page; all 300 match
    assert index.search(SearchQuery(text="王某某醉酒")).total == 300
    assert index.search(SearchQuery(text="第299号")).hits[0].doc_id == "299"
    # The segments written by workers merge like any other later on.
    index.apply([make_doc("补充", "醉酒驾驶", doc_id="extra")], ["0"], 13)
    assert index.search(SearchQuery(text="醉酒驾驶")).total == 300


def test_writers_wait_for_the_lock_and_give_up_after_the_timeout(
    index, index_dir, make_doc, monkeypatch
):
    monkeypatch.setattr(search_index, "WRITE_LOCK_TIMEOUT", 0.3)
    ix = whoosh_index.open_dir(index_dir)
    held = ix.writer()
    try:
        with pytest.raises(IndexBusyError):
            index.apply([make_doc("等待", "", doc_id="w")], [], 1)
    finally:
        held.cancel()
        ix.close()
    index.apply([make_doc("等待", "", doc_id="w")], [], 1)
    assert index.doc_ids() == {"w"}


def _apply_in_process(index_dir: str, first: int, batches: int) -> None:
    index = SearchIndex(index_dir)
    for n in range(first, first + batches):
        doc = IndexDocument(
            doc_id=str(n),
            number="",
            title=f"并发{n}",
            body="多个进程同时写入索引。",
            doc_type="announcement",
            department="办公室",
            language="zh_Hans",
            published=datetime(2024, 1, 1, tzinfo=UTC),
        )
        index.apply([doc], [], n)
    index.close()


def test_writes_from_two_processes_at_once_all_land(index_dir):
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_apply_in_process, args=(index_dir, first, 12))
        for first in (1000, 2000)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]
    index = SearchIndex(index_dir)
    expected = {str(n) for n in [*range(1000, 1012), *range(2000, 2012)]}
    assert index.doc_ids() == expected
    assert index.search(SearchQuery(text="同时写入")).total == 24
    assert index.checkpoint in (1011, 2011)  # whichever batch committed last
    index.close()


def test_ensure_index_replaces_an_index_of_another_schema(tmp_path):
    folder = tmp_path / "index"
    folder.mkdir()
    old = whoosh_index.create_in(str(folder), Schema(body=TEXT))
    with old.writer() as writer:
        writer.add_document(body="old format")
    old.close()
    ensure_index(str(folder))
    assert document_count(str(folder)) == 0
    assert os.path.islink(folder)


def test_document_count_raises_when_the_index_is_missing(tmp_path):
    with pytest.raises(whoosh_index.EmptyIndexError):
        document_count(str(tmp_path / "nowhere"))


def test_rebuilt_and_incrementally_written_indexes_answer_alike(tmp_path, make_doc):
    """The bulk writer (word lists in files, rare shingles dropped) and Whoosh's own
    writer (used by apply) must agree on every answer."""
    import random
    import re

    rng = random.Random(11)
    phrases = ["被告人", "醉酒驾驶", "本院受理后", "认罪认罚", "示例市示例区", "他人财物", "依法"]
    docs = [
        make_doc(
            f"文书{n}",
            "，".join(rng.choice(phrases) + rng.choice("甲乙丙丁") for _ in range(12)),
            doc_id=str(n),
        )
        for n in range(120)
    ]
    built = SearchIndex(str(tmp_path / "built"))
    built.rebuild(docs, 1)
    applied = SearchIndex(str(tmp_path / "applied"))
    ensure_index(str(tmp_path / "applied"))
    for start in range(0, len(docs), 30):
        applied.apply(docs[start : start + 30], [], start + 1)
    text = "".join(d.body for d in docs[:10])
    runs = re.findall(r"[\u4e00-\u9fff]{3,}", text)
    for _ in range(60):
        run = rng.choice(runs)
        length = rng.randint(2, min(7, len(run)))
        start = rng.randrange(len(run) - length + 1)
        wanted = run[start : start + length]
        query = SearchQuery(text=f'"{wanted}"', per_page=50)
        expected = {d.doc_id for d in docs if wanted in f"{d.title}\n{d.body}"}
        a, b = built.search(query), applied.search(query)
        assert a.total == b.total == len(expected), wanted
        assert {h.doc_id for h in a.hits} <= expected
    built.close()
    applied.close()
