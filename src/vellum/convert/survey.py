"""One walk of the article tree that tells every preparation pass where its work is.

``prepare`` runs a dozen passes; each used to walk the whole tree for its few tags.
The survey walks it once, keeping every element in document order with the tag
names, class names and roles seen, so a pass with nothing to do is skipped and one
with work reads its elements from a list. Passes change the tree as they go: an
element a pass removed (or that went with its parent) is left out of a query, and
a renamed one is left out under its old name. Passes that create or rename elements
other passes look for (the widgets) call ``refresh`` after them.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from bs4 import Tag

from ..marks import FOOTNOTES
from ..soup import span


def _classes(el: Tag) -> list[str]:
    value = el.get("class")
    if isinstance(value, str):
        return value.split()
    return list(value or [])


@dataclass
class Survey:
    """The elements of ``root`` in document order, and what they are."""

    root: Tag
    elements: list[Tag] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    footnotes: bool = False
    by_name: dict[str, list[int]] = field(default_factory=dict)  # name -> positions

    @classmethod
    def of(cls, root: Tag) -> Survey:
        survey = cls(root)
        survey.refresh()
        return survey

    def refresh(self) -> None:
        """Walk the tree again (after a pass that created elements others look for)."""
        elements: list[Tag] = []
        by_name: dict[str, list[int]] = {}
        found_classes, roles = set(), set()
        footnotes = False
        node, stop = span(self.root)
        while node is not stop and node is not None:
            if type(node) is Tag:
                positions = by_name.get(node.name)
                if positions is None:
                    by_name[node.name] = [len(elements)]
                else:
                    positions.append(len(elements))
                elements.append(node)
                attrs = node.attrs
                if attrs:
                    if "class" in attrs:
                        found_classes.update(_classes(node))
                    if "role" in attrs:
                        roles.add(str(attrs["role"]))
                    if FOOTNOTES in attrs:
                        footnotes = True
            node = node.next_element
        self.elements, self.by_name, self.classes = elements, by_name, found_classes
        self.names = set(by_name)
        self.roles, self.footnotes = roles, footnotes

    def tags(self, names: Collection[str]) -> list[Tag]:
        """``soup.tags(root, names)``, read off the survey: the elements now named one of
        ``names`` and still in the tree, in the order the survey found them."""
        root, elements, by_name = self.root, self.elements, self.by_name
        positions = [by_name.get(name, ()) for name in names]
        merged = sorted(i for found in positions for i in found) \
            if sum(1 for found in positions if found) > 1 \
            else next((found for found in positions if found), ())
        return [el for el in map(elements.__getitem__, merged)
                if el.__dict__.get("name") in names and _inside(el, root)]

    def holds(self, el: Tag) -> bool:
        """True while ``el`` is in the tree."""
        return _inside(el, self.root)

    def all(self) -> list[Tag]:
        """Every element still in the tree."""
        root = self.root
        return [el for el in self.elements if _inside(el, root)]


def _inside(el: Tag, root: Tag) -> bool:
    """True while ``el`` hangs under ``root`` (not removed, nor any of its ancestors)."""
    node: Tag | None = el
    while node is not None:
        if node is root:
            return True
        node = node.__dict__.get("parent")
    return False

