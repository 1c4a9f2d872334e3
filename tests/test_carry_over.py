"""What a new conversion keeps of the file it replaces (``pipeline.carried``)."""

from __future__ import annotations

from vellum import frontmatter
from vellum.convert import render
from vellum.models import Article, Page
from vellum.pipeline.flow import REVIVED_KEYS, Converted, carried

ARTICLE = Article(body_html="<p>Body text.</p>", title="A post", url="https://a.example/p",
                  description="Fresh description")
PAGE = Page(url="https://a.example/p", final_url="https://a.example/p", html="")


def converted(article: Article = ARTICLE, profile: str = "default") -> Converted:
    return Converted(PAGE, article, render(article, profile), profile=profile)


def old_file(**extra: object) -> str:
    data = {**converted().document.front_matter, **extra}
    return frontmatter.join(data, "Old body.\n")


def test_keys_no_conversion_wrote_are_carried_in_order() -> None:
    old = old_file(aliases=["x/old.md"], ingested_from="/notes/a.txt", status="gone")
    new = carried(old, {"rendered": ["title", "original_url", "slug"]}, "default", converted())
    data = new.document.front_matter
    assert list(data)[-3:] == ["aliases", "ingested_from", "status"]
    assert new.rendered == ("title", "description", "original_url", "slug")
    assert frontmatter.split(new.document.text)[0] == data
    revived = carried(old, {}, "default", converted(), drop=REVIVED_KEYS)
    assert "status" not in revived.document.front_matter


def test_a_key_the_last_conversion_wrote_and_this_one_does_not_is_dropped() -> None:
    bare = Article(body_html="<p>Body text.</p>", title="A post", url="https://a.example/p")
    old = old_file()  # has the description the page no longer gives
    recorded = carried(old, {"rendered": ["title", "description", "original_url", "slug"]},
                       "default", converted(bare))
    assert "description" not in recorded.document.front_matter
    # Without the record (an archive older than it), the key is kept rather than lost.
    unknown = carried(old, {}, "default", converted(bare))
    assert unknown.document.front_matter["description"] == "Fresh description"


def test_another_profile_does_not_inherit_the_old_profiles_keys() -> None:
    old = old_file(aliases=["x/old.md"])
    new = carried(old, {}, "default", converted(profile="jekyll"))
    data = new.document.front_matter
    assert data["aliases"] == ["x/old.md"]
    assert "blog_url" not in data
    assert "archived_at" not in data
    written = list(frontmatter.split(new.document.text)[0] or {})
    assert written == sorted(written)  # the jekyll profile's order holds for carried keys
    assert written[0] == "aliases"
