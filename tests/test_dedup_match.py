"""Duplicate groups: the same post in any form matches, different posts never do."""

from __future__ import annotations

from pathlib import Path

from vellum.dedup import Fingerprint, find_groups, fingerprint
from vellum.dedup.match import (
    EDITED,
    EXCERPT,
    NEAR_IDENTICAL,
    SAME_CONTENT,
    SAME_URL,
    compare,
)

FIXTURES = Path(__file__).parent / "dedup_fixtures"
ALL = ("homelab-source.md", "homelab-rendered.txt", "homelab-excerpt.txt",
       "homelab-edited.md", "oncall-raw.txt", "oncall-aggregator.md", "backups-raw.txt")

SIDEBAR = """Home
About me
Archive
Subscribe by email
Mara Keller writes about homelabs, storage systems and the small joys of reliable
software. She lives in Leipzig with two kids, one cat and far too many servers.
Recent posts: A Year on the Pager, Testing Backups Before You Need Them, Moving My
Homelab to Proxmox, Why I Still Print My Runbooks, Notes From a Small Conference
Copyright Mara Keller. All rights reserved. Powered by a static site generator."""

NOTES = {
    "Tea": "I switched from coffee to green tea in the afternoons and my sleep improved "
           "within a week. The trick is to steep it cooler than you think, around seventy "
           "degrees, or it turns bitter and you blame the leaves.",
    "Bikes": "Our cargo bike replaced the second car this spring. It carries two kids, a "
             "week of groceries and, once, a small bookshelf. Winter will be the real "
             "test, but so far nobody misses the parking fees.",
    "Radio": "I found my grandfather's shortwave radio in the attic and spent a weekend "
             "cleaning the contacts. It now picks up a weather station from the coast and "
             "a very enthusiastic polka programme on Sunday mornings.",
    "Garden": "The tomatoes failed again, but the beans went wild and climbed the fence "
              "into the neighbour's yard. She says she does not mind as long as we keep "
              "sharing, which seems like a fair trade for a fence.",
    "Chess": "My daughter beat me at chess for the first time last night and then "
             "explained, very patiently, what I had done wrong. I am proud, a little "
             "humbled, and already reading an opening book in secret.",
}


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def fp(name: str) -> Fingerprint:
    return fingerprint(read(name))


def groups_of(names: tuple[str, ...]) -> list[tuple[set[str], str, str]]:
    return [(set(g.members), g.canonical, g.reason)
            for g in find_groups((name, read(name)) for name in names)]


def test_markdown_source_and_its_rendered_text_are_the_same_content() -> None:
    score = compare(fp("homelab-source.md"), fp("homelab-rendered.txt"))
    assert score.reason in (SAME_CONTENT, NEAR_IDENTICAL)
    assert score.jaccard > 0.9


def test_aggregator_copy_and_raw_text_of_one_post_match() -> None:
    score = compare(fp("oncall-aggregator.md"), fp("oncall-raw.txt"))
    assert score.reason == NEAR_IDENTICAL


def test_excerpt_matches_the_full_post() -> None:
    score = compare(fp("homelab-excerpt.txt"), fp("homelab-source.md"))
    assert score.reason == EXCERPT
    assert score.containment > 0.85


def test_edited_version_matches_the_original() -> None:
    score = compare(fp("homelab-edited.md"), fp("homelab-source.md"))
    assert score.reason == EDITED
    assert 0.5 < score.jaccard < 0.8


def test_same_author_different_posts_never_match() -> None:
    posts = ("homelab-source.md", "oncall-raw.txt", "backups-raw.txt", "oncall-aggregator.md")
    for i, a in enumerate(posts):
        for b in posts[i + 1:]:
            if {a, b} == {"oncall-raw.txt", "oncall-aggregator.md"}:
                continue
            assert compare(fp(a), fp(b)).reason is None, (a, b)


def test_groups_over_every_form() -> None:
    groups = groups_of(ALL)
    assert len(groups) == 2
    homelab, oncall = groups
    assert homelab[0] == {"homelab-source.md", "homelab-rendered.txt", "homelab-excerpt.txt",
                          "homelab-edited.md"}
    # Markdown with front matter, full, newest edit: the edited source is the richest.
    assert homelab[1] == "homelab-edited.md"
    assert oncall == ({"oncall-raw.txt", "oncall-aggregator.md"}, "oncall-aggregator.md",
                      NEAR_IDENTICAL)


def test_the_same_sidebar_on_every_page_is_not_evidence() -> None:
    pages = [(title, f"{title}\n\nPosted on: 1 May 2024\n\n{text}\n\n{SIDEBAR}\n")
             for title, text in NOTES.items()]
    assert find_groups(pages) == []


def test_two_scrapes_of_one_page_with_the_sidebar_still_match() -> None:
    pages = [(title, f"{title}\n\nPosted on: 1 May 2024\n\n{text}\n\n{SIDEBAR}\n")
             for title, text in NOTES.items()]
    pages.append(("Tea again", pages[0][1].replace("Posted on: 1 May 2024", "")))
    groups = find_groups(pages)
    assert [g.members for g in groups] == [("Tea", "Tea again")]


def test_same_canonical_url_is_a_match() -> None:
    a = "---\ntitle: Notes on Tea\nurl: https://mkeller.example.net/tea/\n---\n\nOld draft.\n"
    b = ("---\ntitle: Notes on Tea\ncanonical_url: http://www.mkeller.example.net/tea\n---\n\n"
         f"{NOTES['Tea']}\n")
    assert compare(fingerprint(a), fingerprint(b)).reason == SAME_URL


def test_two_home_pages_are_not_the_same_url() -> None:
    # A home page names no post: two sites' (or one site's at two times) never match by it.
    a = f"---\ntitle: Home\nurl: https://one.example.net/\n---\n\n{NOTES['Tea']}\n"
    b = f"---\ntitle: Home\nurl: https://two.example.org\n---\n\n{NOTES['Bikes']}\n"
    score = compare(fingerprint(a), fingerprint(b))
    assert not score.same_url
    assert score.reason is None


def test_a_page_containing_several_posts_does_not_chain_them() -> None:
    # Untitled copies, so that each note is an excerpt of the anthology: the anthology
    # may join one of them, never two, since the notes do not match each other.
    anthology = "\n\n".join(NOTES.values())
    docs = [("anthology", anthology), *((t, f"{text}\n") for t, text in NOTES.items())]
    assert compare(fingerprint(docs[1][1]), fingerprint(anthology)).reason == EXCERPT
    groups = find_groups(docs)
    assert len(groups) == 1
    assert len(groups[0].members) == 2
    assert "anthology" in groups[0].members


def test_fingerprints_survive_a_round_trip_and_the_cache_is_used() -> None:
    cache: dict[str, bytes] = {}
    docs = [(name, read(name)) for name in ALL]
    first = find_groups(docs, signatures_cache=cache)
    assert len(cache) == len(ALL)
    assert Fingerprint.from_bytes(next(iter(cache.values()))) is not None
    assert find_groups(docs, signatures_cache=cache) == first
    assert Fingerprint.from_bytes(b"garbage") is None


def test_a_post_quoting_a_whole_paragraph_of_another_stays_apart() -> None:
    quoted = ("The DNS resolver was the only real trouble. It kept answering on the old "
              "address for a full day because I had forgotten a static lease in the router, "
              "and for that day half the house could not reach anything at all.")
    post = ("Small Mistakes, Long Days\n\nPosted on: 3 June 2024\n\n"
            "Last spring I wrote about moving my homelab, and one paragraph still makes me "
            f"wince:\n\n> {quoted}\n\nSince then I keep a list of every static lease, "
            "every port forward and every scheduled job, printed and taped inside the "
            "cupboard door. It is ugly and it has already saved me twice this year, once "
            "during a power cut and once when a firmware update reset the router.\n")
    score = compare(fingerprint(post), fp("homelab-source.md"))
    assert score.shared > 30  # the quote is found...
    assert score.reason is None  # ...and is not enough
    assert find_groups([("quote", post), ("source", read("homelab-source.md"))]) == []


def test_judging_many_pairs_at_once_gives_each_pair_s_own_verdict() -> None:
    import itertools
    from dataclasses import replace

    import numpy as np

    from vellum.dedup.match import judge, judge_all

    forms = Path(__file__).parent / "dedup_forms"
    fps = [fingerprint(path.read_text(encoding="utf-8"))
           for folder in (FIXTURES, forms) for path in sorted(folder.iterdir())]
    # The same documents under a shared URL, a home-page URL, another title, no title.
    fps += [replace(fps[0], url="https://example.org/posts/one"),
            replace(fps[1], url="https://example.org/posts/one", title="Something Else",
                    title_key="something else", title_trusted=True),
            replace(fps[2], url="https://example.org/", title_trusted=True),
            replace(fps[3], url="https://example.org/", title="", title_key=""),
            replace(fps[4], title_trusted=False), replace(fps[5], excerpt_mark=True)]
    pairs = list(itertools.combinations(range(len(fps)), 2))
    first = np.array([i for i, _ in pairs])
    second = np.array([j for _, j in pairs])
    sizes = np.array([len(fp.shingles()) for fp in fps])
    shared = np.array([np.intersect1d(fps[i].shingles(), fps[j].shingles()).size
                       for i, j in pairs])
    together = judge_all(fps, first, second, shared, sizes[first], sizes[second])
    alone = [judge(fps[i], fps[j], int(n), int(sizes[i]), int(sizes[j]))
             for (i, j), n in zip(pairs, shared.tolist(), strict=True)]
    assert together == alone
    assert {score.reason for score in alone} >= {SAME_CONTENT, SAME_URL, EXCERPT, None}
    assert any(score.title_conflict for score in alone)
