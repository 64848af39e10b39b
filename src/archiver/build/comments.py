"""Comments under an item as a tree: replies nested under what they answer, for the page.

Every comment is shown whatever its export says: a reply to an unknown comment is top level,
so is the first comment of a cycle of parents, and replies deeper than MAX_COMMENT_DEPTH are
shown at that depth (a chain of 300 replies would otherwise be 300 nested lists, deeper than
Jinja's recursion can render).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from archiver.build.markup import render_markdown
from archiver.model import Comment

MAX_COMMENT_DEPTH = 10  # WordPress's deepest setting; deeper replies are shown at this depth


@dataclass
class CommentNode:
    """A comment with its body as sanitised HTML and the replies to it."""

    comment: Comment
    html: str
    children: list["CommentNode"] = field(default_factory=list)

    @property
    def safe_url(self) -> str:
        url = self.comment.url
        return url if url.startswith(("http://", "https://")) else ""


def comment_tree(comments: Iterable[Comment]) -> list[CommentNode]:
    """Comments nested by ``parent``; a reply whose parent is unknown becomes top level, and
    so does the first comment of a cycle of parents (damaged export), so every one is shown."""
    nodes = [CommentNode(c, render_markdown(c.body, sanitize=True, link_rel="nofollow ugc")) for c in comments]
    by_id = {n.comment.id: n for n in nodes if n.comment.id}
    parent_of: dict[int, CommentNode | None] = {}
    for node in nodes:
        parent = by_id.get(node.comment.parent) if node.comment.parent else None
        parent_of[id(node)] = None if _is_ancestor(node, parent, parent_of, by_id) else parent
    depth: dict[int, int] = {}
    top: list[CommentNode] = []
    for node in nodes:
        parent = parent_of[id(node)]
        while parent is not None and _depth(parent, parent_of, depth) >= MAX_COMMENT_DEPTH - 1:
            parent = parent_of[id(parent)]  # too deep: a reply to the deepest one shown
        (top if parent is None else parent.children).append(node)
    return top


def _depth(node: CommentNode, parent_of: dict[int, CommentNode | None], depth: dict[int, int]) -> int:
    """How many parents ``node`` has (0: top level), remembered in ``depth``."""
    path: list[CommentNode] = []
    current: CommentNode | None = node
    while current is not None and id(current) not in depth:
        path.append(current)
        current = parent_of[id(current)]
    known = -1 if current is None else depth[id(current)]
    for member in reversed(path):
        known += 1
        depth[id(member)] = known
    return depth[id(node)]


def _is_ancestor(node: CommentNode, parent: CommentNode | None,
                 parent_of: dict[int, CommentNode | None], by_id: dict[str, CommentNode]) -> bool:
    """Whether ``node`` is ``parent`` or one of its ancestors (parents decided so far first)."""
    seen: set[int] = set()
    while parent is not None and id(parent) not in seen:
        if parent is node:
            return True
        seen.add(id(parent))
        if id(parent) in parent_of:
            parent = parent_of[id(parent)]
        else:
            parent = by_id.get(parent.comment.parent) if parent.comment.parent else None
    return False
