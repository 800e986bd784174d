"""Draw a dependency graph as a standalone SVG at build time (no diagram script in the browser).

Layout: one column per topological wave (a step sits to the right of everything it
depends on), nodes inside a column ordered by the mean position of their dependencies
(a few barycentre sweeps, ties by id, so the picture is deterministic and has few
crossings), edges as curves from the right side of a dependency to the left side of
what needs it. Every label and link is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

CHAR_WIDTH = 6.8  # px per character of the 11px monospace label
NODE_HEIGHT = 22
ROW_GAP = 8
COLUMN_GAP = 64
PADDING = 12
HEADER = 18


@dataclass(frozen=True, slots=True)
class Node:
    """One box: its id, shown label, CSS kind, link target (relative URL) and tooltip."""

    id: str
    label: str
    kind: str = ""
    href: str = ""
    tooltip: str = ""


@dataclass(frozen=True, slots=True)
class _Box:
    x: float
    y: float
    width: float


def waves(nodes: Sequence[Node], edges: Sequence[tuple[str, str]]) -> list[list[str]]:
    """Node ids by topological wave, each wave ordered to keep edges short and uncrossed."""
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(node.id for node in nodes))
    graph.add_edges_from(edges)
    columns = [sorted(wave) for wave in nx.topological_generations(graph)]
    for _sweep in range(4):
        for index in range(1, len(columns)):
            columns[index] = _by_barycentre(columns[index], columns[:index], graph)
    return columns


def _by_barycentre(column: list[str], before: list[list[str]], graph: object) -> list[str]:
    position = {node: row for wave in before for row, node in enumerate(wave)}

    def key(node: str) -> tuple[float, str]:
        rows = [position[p] for p in graph.predecessors(node) if p in position]  # type: ignore[attr-defined]
        return (sum(rows) / len(rows) if rows else 0.0, node)

    return sorted(column, key=key)


def render(nodes: Sequence[Node], edges: Sequence[tuple[str, str]], title: str) -> str:
    """An ``<svg>`` element drawing ``nodes`` and ``edges`` (dependency -> dependent)."""
    by_id = {node.id: node for node in nodes}
    columns = waves(nodes, edges)
    boxes, width, height = _layout(columns, by_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gluesim-dependency-graph" role="img" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}">',
        f"<title>{escape(title)}</title>",
        '<defs><marker id="gluesim-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path class="arrow" d="M0,0 L8,4 L0,8 z"/></marker></defs>',
    ]
    parts += [
        f'<text class="wave-label" x="{boxes[column[0]].x:.1f}" y="{PADDING + 10}">wave {number}</text>'
        for number, column in enumerate(columns, start=1)
    ]
    parts += [_edge(boxes[a], boxes[b]) for a, b in sorted(edges)]
    parts += [_node(by_id[key], box) for key, box in sorted(boxes.items())]
    parts.append("</svg>")
    return "\n".join(parts)


def _layout(columns: list[list[str]], by_id: dict[str, Node]) -> tuple[dict[str, _Box], float, float]:
    boxes: dict[str, _Box] = {}
    x = float(PADDING)
    tallest = 0
    for column in columns:
        width = max(len(by_id[key].label) for key in column) * CHAR_WIDTH + 2 * PADDING
        for row, key in enumerate(column):
            boxes[key] = _Box(x, PADDING + HEADER + row * (NODE_HEIGHT + ROW_GAP), width)
        tallest = max(tallest, len(column))
        x += width + COLUMN_GAP
    height = PADDING * 2 + HEADER + tallest * (NODE_HEIGHT + ROW_GAP)
    return boxes, max(x - COLUMN_GAP + PADDING, 2 * PADDING), height


def _edge(start: _Box, end: _Box) -> str:
    x1, y1 = start.x + start.width, start.y + NODE_HEIGHT / 2
    x2, y2 = end.x, end.y + NODE_HEIGHT / 2
    bend = max((x2 - x1) / 2, 16)
    return (
        f'<path class="edge" marker-end="url(#gluesim-arrow)" '
        f'd="M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"/>'
    )


def _node(node: Node, box: _Box) -> str:
    kind = "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in node.kind)
    shape = (
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" height="{NODE_HEIGHT}" rx="4"/>'
        f'<text x="{box.x + PADDING:.1f}" y="{box.y + NODE_HEIGHT / 2 + 4:.1f}">{escape(node.label)}</text>'
    )
    tooltip = f"<title>{escape(node.tooltip or node.label)}</title>"
    if node.href:
        shape = f'<a href="{escape(node.href, quote=True)}">{tooltip}{shape}</a>'
    else:
        shape = tooltip + shape
    return f'<g class="node kind-{kind}" data-id="{escape(node.id, quote=True)}">{shape}</g>'
