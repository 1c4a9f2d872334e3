"""Benchmark of vellum's duplicate detection against an exact-hash baseline.

    .venv/bin/python bench/dedup.py [-n 2000] [--workers 2] [--seed 1] [--calibrate]

Generates a labelled corpus of N documents: posts by a few dozen authors, each
post in one to six forms (Markdown source with MkDocs syntax, text of the
rendered page, raw text with a ``Posted on:`` line and sometimes mojibake, an
aggregator copy with an HTML body under front matter, a saved HTML page, an
excerpt, an edited version). Posts of one author share a topic vocabulary, stock
phrases, an intro and an outro, quote each other, and their scraped copies carry
the same sidebar and bio: the same-author distractors. Prints pairwise
precision, recall, F1, false merges (groups mixing two posts), documents per
second and peak memory for vellum and for the baseline (exact hash of the
normalised text) side by side.

``--calibrate`` also prints, per kind of form, the weakest verified score of
true pairs and the strongest score between different posts (the gap the
thresholds of ``vellum.dedup.match`` sit in).
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import random
import re
import resource
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from vellum import frontmatter
from vellum.dedup import find_groups, normalize

SYLLABLES = ("ba", "co", "de", "fi", "gu", "ha", "jo", "ka", "li", "mo", "nu", "pe", "qui",
             "ra", "so", "tu", "ve", "wi", "xo", "ya", "ze", "an", "er", "in", "on", "ur",
             "st", "tr", "pl", "gr")
FUNCTION_WORDS = ("the", "of", "and", "to", "a", "in", "is", "that", "it", "for", "was", "on",
                  "with", "as", "I", "but", "at", "this", "my", "we", "be", "by", "not", "or",
                  "have", "from", "they", "you", "had", "so", "what", "when", "all", "there")
ACCENTED = ("café", "fiancé", "naïve", "résumé", "déjà", "señor", "über", "façade")
EMOJI = (":sparkles:", ":rainbow:", ":money_mouth:", ":tada:", ":rocket:")
FORMS = ("source", "rendered", "raw", "aggregator", "page", "excerpt", "edited")


@dataclass
class Author:
    name: str
    site: str
    topic: list[str]
    stock: list[str]
    intro: str
    outro: str
    bio: str
    sidebar: list[str]
    posts: list[Post] = field(default_factory=list)


@dataclass
class Post:
    pid: int
    author: Author
    title: str
    date: str
    url: str
    sections: list[tuple[str, list[str]]]
    """(heading, paragraphs); a paragraph is a list of sentences joined by spaces."""
    note: str
    """An annotation (MkDocs) that the rendered page shows as a bullet."""


class Corpus:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        vocab = sorted({self._word() for _ in range(40_000)})
        self.rng.shuffle(vocab)
        self.vocab = list(FUNCTION_WORDS) + vocab
        weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(self.vocab))]
        total = 0.0
        self.cum: list[float] = []
        for weight in weights:
            total += weight
            self.cum.append(total)

    def _word(self) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(1, 4)))

    def words(self, n: int, topic: list[str] | None = None) -> list[str]:
        out = self.rng.choices(self.vocab, cum_weights=self.cum, k=n)
        if topic:
            for i in range(n):
                if self.rng.random() < 0.25:
                    out[i] = self.rng.choice(topic)
        return out

    def sentence(self, topic: list[str] | None = None, lo: int = 7, hi: int = 22) -> str:
        words = self.words(self.rng.randint(lo, hi), topic)
        if self.rng.random() < 0.15:
            words[self.rng.randrange(len(words))] = self.rng.choice(ACCENTED)
        if self.rng.random() < 0.2:
            i = self.rng.randrange(len(words))
            words[i] = words[i] + "\u2019s"
        text = " ".join(words)
        return text[0].upper() + text[1:] + self.rng.choice(".....?!")

    def author(self, index: int) -> Author:
        topic = self.words(150)
        return Author(
            name=f"Author {index}", site=f"https://blog{index}.example.org",
            topic=topic, stock=[self.sentence(topic, 8, 16) for _ in range(8)],
            intro=self.sentence(topic, 10, 18), outro=self.sentence(topic, 10, 18),
            bio=" ".join(self.sentence(topic) for _ in range(3)),
            sidebar=["Home", "About me", "Archive", "Subscribe by email",
                     *(self.sentence(topic, 3, 6) for _ in range(4))],
        )

    def post(self, pid: int, author: Author) -> Post:
        rng = self.rng
        title = " ".join(self.words(rng.randint(3, 8), author.topic)).capitalize()
        date = f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        slug = "-".join(title.lower().split())[:60]
        sections: list[tuple[str, list[str]]] = []
        n_paragraphs = rng.choice((2, 3, 3, 4, 5, 6, 8, 10))
        for p in range(n_paragraphs):
            sentences = [self.sentence(author.topic) for _ in range(rng.randint(2, 6))]
            if rng.random() < 0.3:
                sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(author.stock))
            heading = " ".join(self.words(rng.randint(1, 4))).title() if p % 3 == 1 else ""
            sections.append((heading, [" ".join(sentences)]))
        if rng.random() < 0.5:
            sections[0][1][0] = f"{author.intro} {sections[0][1][0]}"
        if rng.random() < 0.5:
            sections[-1][1][-1] = f"{sections[-1][1][-1]} {author.outro}"
        if author.posts and rng.random() < 0.3:  # quote an earlier post of the author
            source = re.split(r"(?<=[.?!]) ", rng.choice(author.posts).sections[-1][1][-1])
            start = rng.randrange(len(source))
            quoted = " ".join(source[start:start + rng.randint(1, 3)])
            sections[-1][1].insert(0, f"As I wrote before: {quoted}")
        post = Post(pid, author, title, date, f"{author.site}/{date[:4]}/{date[5:7]}/{slug}.html",
                    sections, self.sentence(author.topic))
        author.posts.append(post)
        return post

    def generate(self, n: int) -> tuple[list[tuple[str, str]], list[int], list[str]]:
        """(id, text) documents, their post labels and their forms."""
        authors = [self.author(i) for i in range(max(3, n // 40))]
        docs: list[tuple[str, str]] = []
        labels: list[int] = []
        forms: list[str] = []
        pid = 0
        while len(docs) < n:
            post = self.post(pid, self.rng.choice(authors))
            count = self.rng.choice((1, 1, 1, 2, 2, 3, 3, 4, 5, 6))
            chosen = self.rng.sample(FORMS, min(count, n - len(docs)))
            for form in chosen:
                docs.append((f"{pid}-{form}", render(self, post, form)))
                labels.append(pid)
                forms.append(form)
            pid += 1
        order = list(range(len(docs)))
        self.rng.shuffle(order)
        return [docs[i] for i in order], [labels[i] for i in order], [forms[i] for i in order]


def render(corpus: Corpus, post: Post, form: str) -> str:
    rng = corpus.rng
    if form == "source":
        return source_markdown(post, rng)
    if form == "rendered":
        return rendered_text(post, sidebar=rng.random() < 0.5)
    if form == "raw":
        return raw_text(post, rng)
    if form == "aggregator":
        return aggregator(post)
    if form == "page":
        return html_page(post)
    if form == "excerpt":
        return excerpt(post, rng)
    return edited(corpus, post)


def _paragraphs(post: Post) -> list[tuple[str, str]]:
    return [(heading if i == 0 else "", text)
            for heading, paragraphs in post.sections for i, text in enumerate(paragraphs)]


def source_markdown(post: Post, rng: random.Random) -> str:
    lines: list[str] = []
    for n, (heading, text) in enumerate(_paragraphs(post)):
        if heading:
            lines.append(f"## {heading}\n")
        words = text.split(" ")
        if len(words) > 12:
            words[3] = f"_{words[3]}_"
            words[8] = f"[{words[8]}]({post.author.site}/ref/{n})"
            if n == 1:
                words[5] = f"{words[5]} {rng.choice(EMOJI)}"
        text = " ".join(words)
        if n == 0:
            lines.append(f"{text}(1)\n{{ .annotate }}\n\n1. {post.note}\n")
            lines.append("<!-- more -->\n")
        elif n == 2:
            lines.append(f"{text}[^1]\n")
            lines.append(f"![figure {n}](/images/{n}.png){{ align=right width=\"35%\" }}\n")
        else:
            lines.append(text + "\n")
    if len(_paragraphs(post)) > 2:
        lines.append("[^1]: A footnote that only the source has.\n")
    data = {"date": post.date, "authors": [post.author.name], "categories": ["Notes"],
            "title": post.title}
    return frontmatter.join(data, "\n".join(lines))


def rendered_text(post: Post, *, sidebar: bool) -> str:
    lines = [post.title]
    for n, (heading, text) in enumerate(_paragraphs(post)):
        if heading:
            lines.append(f"{heading}\u00b6")
        lines.append(text + ("(1)" if n == 0 else ""))
        if n == 0:
            lines.append(f"- {post.note}")
    if len(_paragraphs(post)) > 2:
        lines.append("A footnote that only the source has.")
    if sidebar:
        lines.extend(post.author.sidebar)
        lines.append(post.author.bio)
    return "\n".join(lines) + "\n"


def raw_text(post: Post, rng: random.Random) -> str:
    body = "\n\n".join(text for _, text in _paragraphs(post))
    if rng.random() < 0.5:  # read back with the wrong charset somewhere along the way
        body = body.encode("utf-8").decode(rng.choice(("cp1252", "mac_roman")), "replace")
    bio = f"\n\n{post.author.bio}" if rng.random() < 0.5 else ""
    return f"{post.title}\n\nPosted on: {post.date}\n\n{body}{bio}\n"


def _html_body(post: Post) -> str:
    parts = []
    for heading, text in _paragraphs(post):
        if heading:
            anchor = "-".join(heading.lower().split())
            parts.append(f'<h2 id="{anchor}">{heading}</h2>')
        parts.append(f"<p>{text}</p>")
    return "\n".join(parts)


def aggregator(post: Post) -> str:
    data = {"author": f"{post.author.name}'s Blog", "blog_title": post.author.name,
            "blog_url": post.author.site, "date": f"'{post.date} 05:26:00'",
            "layout": "post", "original_url": post.url, "title": post.title}
    figure = ('<div class="separator"><figure>\n<figcaption class="image-caption">'
              "A picture.</figcaption>\n</figure></div>")
    return frontmatter.join(data, figure + "\n" + _html_body(post))


def html_page(post: Post) -> str:
    body = _html_body(post).replace("</h2>", '<a class="headerlink" href="#">\u00b6</a></h2>')
    side = "".join(f"<li>{line}</li>" for line in post.author.sidebar)
    return (
        f"<!DOCTYPE html><html><head><title>{post.title} | {post.author.name}</title>"
        f'<link rel="canonical" href="{post.url}"></head><body>'
        f'<nav><a href="/">Home</a></nav><main><article><h1>{post.title}</h1>\n{body}\n'
        f'</article></main><aside class="sidebar"><ul>{side}</ul><p>{post.author.bio}</p>'
        "</aside><footer>Powered by a generator</footer></body></html>"
    )


def excerpt(post: Post, rng: random.Random) -> str:
    paragraphs = [text for _, text in _paragraphs(post)]
    if len(paragraphs) < 3:  # a short post's excerpt is the post: cut the first one
        words = paragraphs[0].split()
        lead = " ".join(words[: max(40, len(words) * 2 // 3)])
    else:
        lead = "\n\n".join(paragraphs[: rng.randint(1, min(3, len(paragraphs) - 1))])
    if rng.random() < 0.5:
        data = {"title": post.title, "date": post.date, "link": post.url}
        return frontmatter.join(data, f"{lead}\n\n[Continue reading]({post.url})")
    return f"{post.title}\n\n{lead} Read more\u2026\n"


def edited(corpus: Corpus, post: Post) -> str:
    rng = corpus.rng
    share = rng.uniform(0.05, 0.30)  # of sentences rewritten, cut or added
    lines = []
    for _, text in _paragraphs(post):
        sentences = re.split(r"(?<=[.?!]) ", text)
        out = []
        for sentence in sentences:
            roll = rng.random()
            if roll < share / 2:
                out.append(corpus.sentence(post.author.topic))  # rewritten
            elif roll < share * 3 / 4:
                continue  # cut
            else:
                out.append(sentence)
            if rng.random() < share / 4:
                out.append(corpus.sentence(post.author.topic))  # added
        lines.append(" ".join(out))
    lines.append("Update: " + corpus.sentence(post.author.topic))
    date = f"{int(post.date[:4]) + 1}{post.date[4:]}"
    data = {"title": post.title, "date": date, "url": post.url if rng.random() < 0.3 else ""}
    return frontmatter.join({k: v for k, v in data.items() if v}, "\n\n".join(lines))


# ---------------------------------------------------------------- measuring


def baseline(docs: list[tuple[str, str]]) -> list[tuple[str, ...]]:
    """Exact hash of the normalised text."""
    buckets: defaultdict[str, list[str]] = defaultdict(list)
    for doc_id, text in docs:
        words = " ".join(normalize(text).words)
        if words:
            buckets[hashlib.blake2b(words.encode(), digest_size=16).hexdigest()].append(doc_id)
    return [tuple(members) for members in buckets.values() if len(members) > 1]


def vellum(workers: int) -> Callable[[list[tuple[str, str]]], list[tuple[str, ...]]]:
    def run(docs: list[tuple[str, str]]) -> list[tuple[str, ...]]:
        return [group.members for group in find_groups(docs, workers=workers)]
    return run


def scores(groups: list[tuple[str, ...]], label: dict[str, int]) -> dict[str, float]:
    truth = Counter(label.values())
    true_pairs = sum(n * (n - 1) // 2 for n in truth.values())
    predicted = hits = merges = 0
    for members in groups:
        per_post = Counter(label[m] for m in members)
        predicted += len(members) * (len(members) - 1) // 2
        hits += sum(n * (n - 1) // 2 for n in per_post.values())
        merges += len(per_post) > 1
    precision = hits / predicted if predicted else 1.0
    recall = hits / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "false_merges": merges,
            "false_pairs": predicted - hits}


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _cpu() -> float:
    """CPU seconds of this process and its finished children (workers included)."""
    own, children = (resource.getrusage(who) for who in
                     (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(method: Callable[[list[tuple[str, str]]], list[tuple[str, ...]]],
            docs: list[tuple[str, str]]) -> tuple[list[tuple[str, ...]], float, float, float]:
    """Run ``method`` in a forked child: (groups, seconds, CPU seconds, peak MB above the
    corpus). CPU seconds do not depend on what else the machine runs."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        start_rss = _rss_mb()
        start_cpu = _cpu()
        started = time.perf_counter()
        groups = method(docs)
        seconds = time.perf_counter() - started
        peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                   resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
        send.send((groups, seconds, _cpu() - start_cpu, peak - start_rss))

    process = context.Process(target=child)
    process.start()
    result = receive.recv()
    process.join()
    return result


def calibrate(docs: list[tuple[str, str]], labels: list[int], forms: list[str]) -> None:
    from vellum.dedup.groups import _anchor_pass, _bucket_pairs, fingerprint_all
    from vellum.dedup.match import compare

    fps = [fp for _, fp in fingerprint_all(docs, workers=2)]
    boilerplate, pairs = _anchor_pass(fps)
    pairs |= _bucket_pairs(fps)
    weakest: dict[str, tuple[float, float, str]] = {}
    strongest = (0.0, 0.0)
    missed: Counter[str] = Counter()
    for i, j in pairs:
        score = compare(fps[i], fps[j], boilerplate)
        if labels[i] == labels[j]:
            kind = "+".join(sorted((forms[i], forms[j])))
            old = weakest.get(kind, (2.0, 2.0, ""))
            weakest[kind] = (min(old[0], score.jaccard), min(old[1], score.containment),
                             score.reason or "-")
            if not score.reason:
                missed[kind] += 1
        else:
            strongest = (max(strongest[0], score.jaccard), max(strongest[1], score.containment))
    print(f"different posts: max Jaccard {strongest[0]:.3f}, max containment {strongest[1]:.3f}")
    print(f"boilerplate anchors: {len(boilerplate)}; candidate pairs: {len(pairs)}")
    for kind, (jac, con, _) in sorted(weakest.items()):
        print(f"  {kind:22} min Jaccard {jac:.3f}  min containment {con:.3f}  "
              f"unmatched candidates {missed[kind]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--calibrate", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    docs, labels, forms = Corpus(args.seed).generate(args.n)
    words = sum(len(text.split()) for _, text in docs) / len(docs)
    print(f"corpus: {len(docs)} documents, {len(set(labels))} posts, {words:.0f} words/doc, "
          f"generated in {time.perf_counter() - started:.1f}s")
    if args.calibrate:
        calibrate(docs, labels, forms)
    label = {doc_id: post for (doc_id, _), post in zip(docs, labels, strict=True)}
    header = f"{'method':10} {'precision':>9} {'recall':>7} {'F1':>7} {'false merges':>12} " \
             f"{'false pairs':>11} {'seconds':>8} {'CPU s':>7} {'docs/s':>8} {'peak MB':>8}"
    print(header)
    rows = {}
    for name, method in (("vellum", vellum(args.workers)), ("baseline", baseline)):
        groups, seconds, cpu, peak = measure(method, docs)
        s = scores(groups, label)
        rows[name] = (s, seconds)
        print(f"{name:10} {s['precision']:9.4f} {s['recall']:7.4f} {s['f1']:7.4f} "
              f"{s['false_merges']:12d} {s['false_pairs']:11d} {seconds:8.1f} {cpu:7.1f} "
              f"{len(docs) / seconds:8.0f} {peak:8.0f}")
    v, b = rows["vellum"], rows["baseline"]
    print(f"ratios vellum/baseline: F1 {v[0]['f1'] / max(b[0]['f1'], 1e-9):.2f}x, "
          f"time {v[1] / b[1]:.2f}x; load average now {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
