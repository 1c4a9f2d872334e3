"""The fast paths of dedup at scale give what the slow ones gave, and memory stays bounded."""

from __future__ import annotations

import itertools
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from vellum.commands import dedup as archive_dedup
from vellum.commands.ingest import MAX_BYTES
from vellum.dedup import Fingerprint, fingerprint, group_fingerprints, signatures
from vellum.dedup import groups as dedup_groups
from vellum.dedup import postings as dedup_postings
from vellum.dedup.chrome import BREAK, strip_chrome
from vellum.dedup.normalize import fold, html_text, normalize, repair
from vellum.errors import VellumError
from vellum.store import Store

FORMS = Path(__file__).parent / "dedup_forms"


# ---------------------------------------------------------------- mojibake, run by run


def _mangle(text: str, codec: str) -> str:
    return text.encode("utf-8").decode(codec, errors="replace")


def test_each_wrong_decoding_in_one_text_is_repaired() -> None:
    right = "The Möbius strip is “one-sided”: déjà vu, it’s a naïve fiancé."
    mixed = _mangle(right[:33], "mac_roman") + _mangle(right[33:], "cp1252")
    assert repair(mixed) == right


def test_runs_at_the_edges_and_beside_astral_characters_are_repaired_in_place() -> None:
    text = _mangle("é start, ", "cp1252") + "🎉 then " + _mangle("‘quoted’ text", "cp1252") \
        + " \ud800 " + _mangle("end ’", "cp1252")
    assert repair(text) == "é start, 🎉 then ‘quoted’ text \ud800 end ’"


def test_correct_text_beside_mojibake_is_left_alone() -> None:
    # Two-character runs of correct text that do not round-trip stay as they are.
    assert repair("naïve “Sydney” — résumé itâ€™s") == "naïve “Sydney” — résumé it’s"
    assert repair("naïve “Sydney” — café") == "naïve “Sydney” — café"  # no hint: untouched


def test_a_run_with_a_lost_byte_still_reaches_ftfy() -> None:
    # cp1252 has no character for 0x9D, so a closing quote loses its last byte.
    lost = _mangle("he said “yes”", "cp1252")
    assert "\ufffd" in lost
    assert fold(repair(lost)) == "he said yes"


# ---------------------------------------------------------------- folding


def test_non_ascii_runs_fold_to_plain_words() -> None:
    assert fold("Ｆｕｌｌ ﬁne “Straße” e\u0301te — Zürich 東京 🎉!") == \
        "full fine strasse ete zurich 東京"


def test_folded_text_is_one_line_of_single_spaced_words() -> None:
    assert fold("  One,\ttwo;\n\n three_four\x0c five  ") == "one two three four five"


# ---------------------------------------------------------------- shingles


def _naive_shingles(text: str) -> set[tuple[str, ...]]:
    words = text.split()
    return {tuple(words[i:i + signatures.SHINGLE]) for i in range(len(words) - 4)
            if BREAK not in words[i:i + signatures.SHINGLE]}


def test_one_hash_per_distinct_shingle_and_none_across_a_break() -> None:
    rng = random.Random(3)
    vocabulary = [f"w{i}" for i in range(40)] + ["café", "東京"]
    words = [rng.choice(vocabulary) for _ in range(3000)]
    words[1000:1000] = [BREAK]
    text = " ".join(words)
    hashes = signatures.shingle_hashes(text)
    assert len(hashes) == len(_naive_shingles(text))
    assert np.all(hashes[1:] > hashes[:-1])
    after = " ".join(words[1001:1006])  # the first shingle after the break is there
    assert signatures.shingle_hashes(after)[0] in hashes


def test_a_huge_text_hashes_in_chunks_to_the_same_values(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    text = " ".join(f"word{i % 997}x{i % 13}" for i in range(20_000))
    whole = signatures.shingle_hashes(text)
    monkeypatch.setattr(signatures, "CHUNK", 1000)
    assert np.array_equal(signatures.shingle_hashes(text), whole)


@pytest.mark.parametrize("batch_bytes", [1 << 18, 64, 8])
def test_shingles_hashed_in_batches_are_each_texts_own(monkeypatch: pytest.MonkeyPatch,
                                                        batch_bytes: int) -> None:
    """Texts hashed together give each one's shingles alone: none spans two texts, a
    text shorter than a shingle is one shingle, a break only cuts its own text."""
    monkeypatch.setattr(signatures, "BATCH_BYTES", batch_bytes)
    rng = random.Random(batch_bytes)
    vocabulary = ["a", "bb", "café", "東京", "x", BREAK]
    texts = ["", "one", "one two three four", BREAK, f"a b {BREAK} c", "a b c d e",
             "a b c d e", "a b c d e f"]
    texts += [" ".join(rng.choice(vocabulary) for _ in range(rng.randrange(12)))
              for _ in range(300)]
    rng.shuffle(texts)
    batched = signatures.shingle_sets(texts)
    assert len(batched) == len(texts)
    for text, hashes in zip(texts, batched, strict=True):
        alone = signatures.shingle_hashes(text)
        assert hashes.dtype == alone.dtype
        assert hashes.tolist() == alone.tolist(), text


def test_a_batch_of_fingerprints_is_the_fingerprints_one_by_one() -> None:
    docs = [normalize(path.read_text(encoding="utf-8")) for path in sorted(FORMS.iterdir())]
    assert signatures.fingerprint_batch(docs) == \
        [signatures.fingerprint_normalized(doc) for doc in docs]


def test_shingle_hashes_are_the_same_in_another_process() -> None:
    text = "the same words hash the same in every process and on every run"
    here = signatures.shingle_hashes(text).tolist()
    code = ("import sys; from vellum.dedup.signatures import shingle_hashes; "
            "print(shingle_hashes(sys.argv[1]).tolist())")
    done = subprocess.run([sys.executable, "-c", code, text], capture_output=True,  # noqa: S603
                          text=True, check=True, env={"PYTHONHASHSEED": "123",
                                                      "PYTHONPATH": ":".join(sys.path)})
    assert done.stdout.strip() == str(here)


# ---------------------------------------------------------------- chrome and HTML


def test_chrome_rules_match_whatever_the_case_and_only_whole_lines() -> None:
    text = ("SKIP TO CONTENT\nBlog / Archive / 2022\nThe post starts here and mentions "
            "Blog / Archive / 2022 in a sentence.\n← Older: A Post About İstanbul\n"
            "Share This:\nThe end.")
    kept = [line for line in strip_chrome(text).split("\n") if line != BREAK]
    assert kept == ["The post starts here and mentions Blog / Archive / 2022 in a sentence.",
                    "The end."]


def test_a_letter_whose_lowercase_is_longer_keeps_the_lines_aligned() -> None:
    text = "İİİ notes from İzmir\nPosted on March 3, 2019\nWe drove south."
    assert strip_chrome(text).split("\n") == ["İİİ notes from İzmir", BREAK,
                                              "We drove south."]


def test_a_plain_fragment_reads_as_the_parser_reads_it() -> None:
    fragment = ("<p>Steep it<b>cool</b> &amp; slow,<br>never&nbsp;boiling.</p>\n"
                "<!-- hidden --><ul><li>One</li><li>Two &#8217;s</li></ul>\n"
                "<p>Less than: a < b, <em>done</em>.</p>")
    fast = html_text(fragment)[1]
    parsed = html_text(fragment + '<p class="x"></p>')[1]  # a class sends it to lxml
    assert fold(fast) == fold(parsed) == "steep itcool slow never boiling one two s less " \
        "than a b done"


def test_a_fragment_with_a_sidebar_class_still_loses_it() -> None:
    fragment = '<p>The post.</p><div class="sidebar"><p>Popular posts</p></div>'
    assert fold(html_text(fragment)[1]) == "the post"


# ---------------------------------------------------------------- exact counts, bounded


def _fake(name: str, shingles: np.ndarray) -> Fingerprint:
    return Fingerprint("text", "", "", "", len(shingles), name, "", "", False, False, "",
                       False,
                       shingle_bytes=np.unique(shingles).astype(np.uint32).tobytes())


def _corpus(rng: np.random.Generator) -> list[tuple[str, Fingerprint]]:
    """Posts in one to three copies that keep 60-100% of the post's shingles, a
    template shared by 30 documents, and hash values spread over every partition."""
    template = rng.integers(0, 1 << 32, 40, dtype=np.uint64)
    items = []
    for post in range(60):
        shingles = rng.integers(0, 1 << 32, int(rng.integers(50, 400)), dtype=np.uint64)
        for copy in range(int(rng.integers(1, 4))):
            kept = shingles[rng.random(shingles.size) < rng.uniform(0.6, 1.0)]
            if len(items) % 3 == 0:
                kept = np.concatenate([kept, template])
            name = f"p{post}-c{copy}"
            items.append((name, _fake(name, kept)))
    return items


def test_pair_counts_are_exact_over_evidence_shingles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dedup_postings, "BATCH", 500)  # many batches through the partitions
    monkeypatch.setattr(dedup_postings, "MERGE_AT", 50)  # and pair counts merged on the way
    items = _corpus(np.random.default_rng(7))
    sets = [set(fp.shingles().tolist()) for _, fp in items]
    frequency: dict[int, int] = {}
    for shingles in sets:
        for value in shingles:
            frequency[value] = frequency.get(value, 0) + 1
    evidence = [{v for v in s if frequency[v] <= dedup_postings.BOILERPLATE_DF} for s in sets]
    with dedup_groups.Corpus() as corpus:
        for doc_id, fp in items:
            corpus.add(doc_id, fp)
        corpus._count()
        assert corpus.sizes.tolist() == [len(e) for e in evidence]
        for i, j in itertools.combinations(range(len(items)), 2):
            score = corpus.compare(j, i)
            assert score.shared == len(evidence[i] & evidence[j]), (i, j)


def test_a_shingle_is_evidence_up_to_the_boilerplate_frequency_and_not_past_it() -> None:
    limit = dedup_postings.BOILERPLATE_DF
    rng = np.random.default_rng(11)
    at_limit = rng.integers(0, 1 << 32, 30, dtype=np.uint64)
    past_limit = rng.integers(0, 1 << 32, 20, dtype=np.uint64)
    items = []
    for doc in range(limit + 1):
        own = rng.integers(0, 1 << 32, 50, dtype=np.uint64)
        parts = [own, past_limit] + ([at_limit] if doc < limit else [])
        items.append((f"d{doc}", _fake(f"d{doc}", np.concatenate(parts))))
    with dedup_groups.Corpus() as corpus:
        for doc_id, fp in items:
            corpus.add(doc_id, fp)
        corpus._count()
        assert corpus.sizes.tolist() == [80] * limit + [50]
        assert corpus.compare(0, 1).shared == 30
        assert corpus.compare(0, limit).shared == 0


def test_the_postings_are_deleted_as_they_are_counted() -> None:
    items = _corpus(np.random.default_rng(9))
    with dedup_groups.Corpus() as corpus:
        for doc_id, fp in items:
            corpus.add(doc_id, fp)
        corpus.spill.flush()
        assert any(corpus.folder.glob(f"*{dedup_postings.SUFFIX}"))
        assert corpus.groups()
        assert not any(corpus.folder.glob(f"*{dedup_postings.SUFFIX}"))


def test_cycle_collection_is_back_as_it_was_after_grouping() -> None:
    import gc

    items = _corpus(np.random.default_rng(4))
    assert gc.isenabled()
    assert group_fingerprints(items)
    assert gc.isenabled()
    gc.disable()
    try:
        assert group_fingerprints(items)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_groups_come_from_a_stream_without_keeping_shingles(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dedup_postings, "BATCH", 300)
    items = _corpus(np.random.default_rng(11))
    seen: list[dedup_groups.Corpus] = []
    real_add = dedup_groups.Corpus.add

    def add(self: dedup_groups.Corpus, doc_id: str, fp: Fingerprint) -> None:
        real_add(self, doc_id, fp)
        seen.append(self)
        assert self.spill.batched < dedup_postings.BATCH  # spilled as it comes
        assert all(not kept.shingle_bytes for kept in self.fps)

    def stream() -> Iterator[tuple[str, Fingerprint]]:
        for count, item in enumerate(items):
            assert len(seen) == count  # each document is taken in before the next is made
            yield item

    monkeypatch.setattr(dedup_groups.Corpus, "add", add)
    groups = group_fingerprints(stream())
    posts = {m.split("-")[0] for g in groups for m in g.members}
    assert all(len({m.split("-")[0] for m in g.members}) == 1 for g in groups)
    assert len(posts) > 30


def test_malformed_files_are_reported_and_skipped_by_the_worker_pool(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive_dedup, "PARALLEL_MIN", 1)
    outside = tmp_path / "outside"
    shutil.copytree(FORMS, outside)
    body = (FORMS / "vacuum-source.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    (outside / "bad-date.md").write_text(
        f"---\ntitle: Taming Autovacuum on a Busy Queue Table\ncreated: 2015-50-01 00:00:00"
        f"\n---\n\n{body}", encoding="utf-8")
    (outside / "picture.md").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)))
    with (outside / "huge.txt").open("wb") as huge:
        huge.truncate(MAX_BYTES + 1)
    with Store(tmp_path / "archive") as store:
        result = archive_dedup.dedup(store, [outside], workers=2)
    assert set(dict(result.failed)) == {str(outside / "picture.md"), str(outside / "huge.txt")}
    vacuum = next(g for g in result.groups if str(outside / "vacuum-source.md") in g.members)
    assert str(outside / "bad-date.md") in vacuum.members


def test_a_file_that_fails_its_batch_fails_alone(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """When hashing a worker's chunk together raises, its files are fingerprinted one
    by one: only the file at fault is reported, the others come back whole."""
    paths = sorted(FORMS.iterdir())[:4]
    real = archive_dedup.fingerprint_normalized

    def fragile(doc: object) -> Fingerprint:
        if "autovacuum" in getattr(doc, "text", ""):
            raise MemoryError("too big")
        return real(doc)  # type: ignore[arg-type]

    def batch(docs: list[object]) -> list[Fingerprint]:
        return [fragile(doc) for doc in docs]

    monkeypatch.setattr(archive_dedup, "fingerprint_normalized", fragile)
    monkeypatch.setattr(archive_dedup, "fingerprint_batch", batch)
    results = archive_dedup.fingerprint_files((tmp_path, 0, paths, [True] * len(paths)))
    failed = [path.name for path, (meta, _, _) in zip(paths, results, strict=True)
              if meta is None]
    expected = [p.name for p in paths
                if "autovacuum" in normalize(p.read_text(encoding="utf-8")).text]
    assert failed == expected
    assert 0 < len(failed) < len(paths)
    for path, (meta, data, error) in zip(paths, results, strict=True):
        if meta is not None:
            assert error is None
            assert data == fingerprint(path.read_text(encoding="utf-8")).to_bytes()
        else:
            assert error == "cannot read as a post (MemoryError: too big)"


def test_the_same_post_matches_after_every_fast_path() -> None:
    source = (FORMS / "vacuum-source.md").read_text(encoding="utf-8")
    mangled = _mangle(source, "mac_roman")
    assert fingerprint(mangled).shingle_bytes == fingerprint(source).shingle_bytes
    assert normalize(mangled).text == normalize(source).text


def test_worker_spills_and_pooled_counts_give_the_serial_groups(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers spill the shingles of the files they read and count partitions in
    parallel; an unreadable file in the middle keeps its number and matches nothing."""
    monkeypatch.setattr(archive_dedup, "PARALLEL_MIN", 1)
    monkeypatch.setattr(archive_dedup, "CHUNK", 3)  # several tasks, each its own batch
    outside = tmp_path / "outside"
    shutil.copytree(FORMS, outside)
    (outside / "s-binary.md").write_bytes(b"\0" * 64)
    runs = {}
    for workers in (1, 2):
        with Store(tmp_path / f"archive{workers}") as store:
            result = archive_dedup.dedup(store, [outside], workers=workers)
        runs[workers] = ([g.as_dict() for g in result.groups], result.failed)
    assert runs[1] == runs[2]
    assert [name for name, _ in runs[2][1]] == [str(outside / "s-binary.md")]
    assert len(runs[2][0]) >= 2


def test_a_pool_counts_the_partitions_of_a_corpus_exactly() -> None:
    from concurrent.futures import ProcessPoolExecutor

    items = _corpus(np.random.default_rng(5))
    counted = []
    for pool in (None, ProcessPoolExecutor(2)):
        with dedup_groups.Corpus() as corpus:
            for doc_id, fp in items:
                corpus.add(doc_id, fp)
            corpus._count(pool)
            counted.append((corpus.sizes.tolist(), corpus.pairs.tolist(), corpus.shared.tolist()))
        if pool is not None:
            pool.shutdown()
    assert counted[0] == counted[1]
    assert counted[0][1]  # pairs were found


def test_chrome_found_alike_with_the_ascii_lowercase(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chrome rules see a text that is not ASCII lowercased through its bytes: the same
    lines go as with the Unicode lowercase, and Kelvin's K and the dotted I still fold."""
    from vellum.dedup import chrome

    texts = [
        "ÉTÉ À PARIS\nPosted on: March 3, 2024 by Zoë\n\nL’été était très CHAUD.\n"
        "SHARE THIS:\nFACEBOOK\nPOPULAR POSTS\nÉcole\nÜber\n",
        "Title\n\nBody with straße and ÅNGSTRÖM.\nFACEBOO\u212a\nTW\u0130TTER\n"
        "\u00a9 2024 Ünal. Powered by Jekyll.\n← Older Ünal post\n",
        # A sidebar heading: only the text from it on is lowercased again.
        "ÉTÉ\n\nBody ÜBER alles, © nothing.\nRECENT POSTS\nÉcole one\nÜber two\n"
        "SHARE THIS:\nBLOG ARCHIVE\n► 2024 (6)\n",
        "Body \u212aelvin and ÅNGSTRÖM.\nPOPULAR POSTS\nItem one\nFACEBOO\u212a\n",
    ]
    fast = [strip_chrome(text) for text in texts]

    def unicode_lower(text: str) -> str:
        lower = text.lower()
        if len(lower) != len(text):
            lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        return f"\n{lower}\n"

    monkeypatch.setattr(chrome, "_framed_lower", unicode_lower)
    assert fast == [strip_chrome(text) for text in texts]
    assert BREAK in fast[0]
    assert "FACEBOOK" not in fast[0]
    assert "École" not in fast[2]
    assert "Item one" not in fast[3]


def test_cached_entries_and_pooled_files_interleave(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Archive entries come from the fingerprint cache on a re-run while outside files go
    to the pool in small tasks: the numbering holds and the groups are the serial ones."""
    from vellum.commands.ingest import ingest

    monkeypatch.setattr(archive_dedup, "CHUNK", 2)
    outside = tmp_path / "outside"
    shutil.copytree(FORMS, outside)
    runs = []
    for workers, minimum in ((1, 256), (2, 1), (2, 1)):  # the last run reads the cache
        monkeypatch.setattr(archive_dedup, "PARALLEL_MIN", minimum)
        with Store(tmp_path / f"archive-{workers}") as store:
            if not list(store.entries()):
                list(ingest([FORMS / "vacuum-source.md", FORMS / "replication-part1.md"], store))
            result = archive_dedup.dedup(store, [outside], workers=workers)
        members = sorted(sorted(Path(m).name for m in g.members) for g in result.groups)
        runs.append((members, result.computed))
    assert runs[0][0] == runs[1][0] == runs[2][0]
    assert runs[2][1] == runs[1][1] - 2  # both archive entries came from the cache


def test_a_run_past_the_document_numbers_of_a_posting_is_refused() -> None:
    limit = dedup_postings.MAX_DOCUMENTS
    assert limit == 1 << dedup_postings.DOC_BITS
    dedup_postings.check_documents(limit)  # the last number a posting holds
    with pytest.raises(VellumError, match=f"at most {limit:,}") as refused:
        dedup_postings.check_documents(limit + 1)
    assert "\n" not in str(refused.value)


def test_a_corpus_refuses_to_number_documents_past_the_limit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dedup_postings, "MAX_DOCUMENTS", 3)
    with dedup_groups.Corpus() as corpus:
        assert corpus.reserve(2) == 0
        corpus.add("third", fingerprint("a b c d e f"))
        with pytest.raises(VellumError, match="4 documents"):
            corpus.add("fourth", fingerprint("g h i j k l"))
        with pytest.raises(VellumError):
            corpus.reserve(1)
        assert len(corpus) == 3
