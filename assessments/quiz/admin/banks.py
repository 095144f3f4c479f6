"""A question bank as the admin screens name it: a course's, or the park-wide one; which banks a
user may open, and the category tree of one bank with its question counts (one query)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _

from assessments.quiz import permissions
from assessments.quiz.models import QuestionCategory
from courses.models import CoursePage
from lms.permissions import AnyUser


@dataclass(frozen=True)
class Bank:
    course: CoursePage | None  # None: the park-wide bank

    @property
    def key(self) -> str:
        return permissions.PARK if self.course is None else str(self.course.pk)

    @property
    def course_id(self) -> int | None:
        return self.course.pk if self.course is not None else None

    @property
    def label(self) -> str:
        return self.course.title if self.course is not None else _("Park-wide bank")

    def q(self, course_field: str = "course_id") -> Q:
        """Rows of this bank, by the field holding their course id."""
        if self.course is None:
            return Q(**{f"{course_field}__isnull": True})
        return Q(**{course_field: self.course.pk})


def banks_for(user: AnyUser) -> list[Bank]:
    """The banks the user edits: their courses' (by title), then the park-wide one."""
    courses = CoursePage.objects.filter(permissions.editable_bank_courses_q(user)).order_by(
        "title", "pk"
    )
    banks = [Bank(course) for course in courses]
    if permissions.may_edit_park_bank(user):
        banks.append(Bank(None))
    return banks


def chosen_bank(user: AnyUser, key: str | None, banks: list[Bank] | None = None) -> Bank:
    """The bank `key` names, or the user's first one; 404 when it is not theirs (or none)."""
    if key:
        return Bank(permissions.bank_course_or_404(user, key))
    banks = banks_for(user) if banks is None else banks
    if not banks:
        raise Http404
    return banks[0]


@dataclass
class Node:
    category: QuestionCategory
    depth: int
    path: str  # "Robotics/Sensors": from the top of the bank
    count: int  # questions right in it
    total: int = 0  # with its subcategories
    children: list[Node] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.category.pk

    @property
    def label(self) -> str:
        return " / ".join(self.path.split("/"))


@dataclass
class Tree:
    roots: list[Node]
    by_id: dict[int, Node]

    def flat(self) -> list[Node]:
        """Every node, each after its parent (the order of the tree as shown)."""
        found: list[Node] = []
        todo = list(reversed(self.roots))
        while todo:
            node = todo.pop()
            found.append(node)
            todo += reversed(node.children)
        return found

    def subtree_ids(self, category_id: int) -> set[int]:
        node = self.by_id.get(category_id)
        if node is None:
            return set()
        found, todo = set(), [node]
        while todo:
            node = todo.pop()
            found.add(node.pk)
            todo += node.children
        return found

    def choices(self, exclude: set[int] = frozenset()) -> list[tuple[int, str]]:
        return [(node.pk, node.label) for node in self.flat() if node.pk not in exclude]

    def path_of(self, category_id: int) -> str:
        node = self.by_id.get(category_id)
        return node.path if node else ""


def category_tree(bank: Bank) -> Tree:
    """The bank's categories as a tree, with question counts; one query. A parent outside the
    bank, or a loop, never hides a category: it is shown at the top instead."""
    rows = list(
        QuestionCategory.objects.filter(bank.q())
        .annotate(question_count=Count("questions"))
        .order_by("name", "pk")
    )
    nodes = {row.pk: Node(row, 0, row.name, row.question_count) for row in rows}
    roots: list[Node] = []
    for row in rows:
        parent = nodes.get(row.parent_id)
        if parent is None or _loops(row.pk, nodes):
            roots.append(nodes[row.pk])
        else:
            parent.children.append(nodes[row.pk])
    tree = Tree(roots, nodes)

    def place(node: Node, depth: int, path: str) -> int:
        node.depth, node.path = depth, path
        node.total = node.count + sum(
            place(child, depth + 1, f"{path}/{child.category.name}") for child in node.children
        )
        return node.total

    for root in roots:
        place(root, 0, root.category.name)
    return tree


def _loops(pk: int, nodes: dict[int, Node]) -> bool:
    seen, current = set(), nodes[pk].category.parent_id
    while current is not None and current in nodes:
        if current == pk or current in seen:
            return True
        seen.add(current)
        current = nodes[current].category.parent_id
    return False
