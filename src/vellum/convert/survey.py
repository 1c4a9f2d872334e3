"""One walk of the article tree that tells every preparation pass where its work is.

``prepare`` runs a dozen passes; each used to walk the whole tree for its few tags.
The survey walks it once, keeping every element in document order with the tag
names, class names and roles seen, so a pass with nothing to do is skipped and one
with work reads its elements from a list. Passes change the tree as they go: an
element a pass removed (or that went with its parent) is left out of a query, and
a renamed one is found under its new name. Passes that create elements other passes
look for (the widgets) call ``refresh`` after them.
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

    @classmethod
    def of(cls, root: Tag) -> Survey:
        survey = cls(root)
        survey.refresh()
        return survey

    def refresh(self) -> None:
        """Walk the tree again (after a pass that created elements others look for)."""
        elements: list[Tag] = []
        names, found_classes, roles = set(), set(), set()
        footnotes = False
        node, stop = span(self.root)
        while node is not stop and node is not None:
            if type(node) is Tag:
                elements.append(node)
                names.add(node.name)
                attrs = node.attrs
                if attrs:
                    if "class" in attrs:
                        found_classes.update(_classes(node))
                    if "role" in attrs:
                        roles.add(str(attrs["role"]))
                    if FOOTNOTES in attrs:
                        footnotes = True
            node = node.next_element
        self.elements, self.names, self.classes = elements, names, found_classes
        self.roles, self.footnotes = roles, footnotes

    def tags(self, names: Collection[str]) -> list[Tag]:
        """``soup.tags(root, names)``, read off the survey: the elements now named one of
        ``names`` and still in the tree, in the order the survey found them."""
        root = self.root
        found = []
        for el in self.elements:
            if el.__dict__.get("name") in names and _inside(el, root):
                found.append(el)
        return found

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

