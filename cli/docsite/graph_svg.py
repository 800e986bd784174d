"""Draw a dependency graph as a standalone SVG at build time (no diagram script in the browser).

Layout: one band per topological wave, top to bottom (a step sits below everything it
depends on); the boxes of a wave run left to right and wrap onto a new line at the
drawing's width, so a graph stays readable at the width of a page instead of growing
sideways. Boxes inside a wave are ordered by the mean position of their dependencies (a few
barycentre sweeps, ties by id, so the picture is deterministic and has few crossings);
edges are curves from the bottom of a dependency to the top of what needs it, drawn first,
under opaque boxes, so a line never crosses a label.

Reading it: each wave is a ``role="group"`` named "Wave N", its boxes follow in reading
order, so the tab order walks the waves from the top. :func:`figure` wraps the drawing in
a ``<figure>`` that fits the page's width, with a toggle to see it at full size and scroll.
Every label and link is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

CHAR_WIDTH = 6.8  # px per character of the 11px monospace label
NODE_HEIGHT = 22
LINE_GAP = 8  # between the wrapped lines of one wave
BOX_GAP = 12  # between boxes on one line
WAVE_GAP = 22  # between the last line of a wave and the next wave's label
PADDING = 12
HEADER = 16  # the wave's label above its first line
DEFAULT_WIDTH = 1100


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


def render(nodes: Sequence[Node], edges: Sequence[tuple[str, str]], title: str, width: int = DEFAULT_WIDTH) -> str:
    """An ``<svg>`` element drawing ``nodes`` and ``edges`` (dependency -> dependent), at most ``width`` wide."""
    by_id = {node.id: node for node in nodes}
    columns = waves(nodes, edges)
    boxes, labels, size = _layout(columns, by_id, width)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gluesim-dependency-graph" role="group" '
        f'aria-label="{escape(title, quote=True)}" '
        f'width="{size[0]:.0f}" height="{size[1]:.0f}" viewBox="0 0 {size[0]:.0f} {size[1]:.0f}">',
        f"<title>{escape(title)}</title>",
        '<defs><marker id="gluesim-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path class="arrow" d="M0,0 L8,4 L0,8 z"/></marker></defs>',
        '<g class="edges" aria-hidden="true">',
        *(_edge(boxes[a], boxes[b]) for a, b in sorted(edges)),
        "</g>",
    ]
    for number, column in enumerate(columns, start=1):
        steps = f"{len(column)} step{'s' * (len(column) != 1)}"
        parts.append(f'<g class="wave" role="group" aria-label="Wave {number}: {steps}">')
        parts.append(f'<text class="wave-label" aria-hidden="true" x="{PADDING}" y="{labels[number - 1]:.1f}">'
                     f"wave {number}</text>")
        parts += [_node(by_id[key], boxes[key]) for key in column]
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def figure(svg: str, caption: str, key: str) -> str:
    """``svg`` in a figure that fits the page's width, with a toggle to see it at full size.

    The toggle is a check box and its label (no script): checked, the drawing keeps its own
    size and its frame scrolls sideways. ``key`` makes the check box's id unique on the page.
    """
    box = f"gluesim-zoom-{escape(key, quote=True)}"
    return (
        '<figure class="gluesim-graph-figure">\n'
        f'<input type="checkbox" class="gluesim-zoom" id="{box}">\n'
        f'<label for="{box}" class="gluesim-zoom-label"><span class="fit">Zoom in: full size, scroll sideways</span>'
        '<span class="full">Zoom out: fit the page</span></label>\n'
        f'<div class="gluesim-graph" data-search-exclude>\n{svg}\n</div>\n'
        f"<figcaption>{escape(caption)}</figcaption>\n"
        "</figure>"
    )


def _layout(columns: list[list[str]], by_id: dict[str, Node], limit: int
            ) -> tuple[dict[str, _Box], list[float], tuple[float, float]]:
    """Boxes wave by wave, top to bottom, wrapping at ``limit``; the wave labels' baselines; the size."""
    boxes: dict[str, _Box] = {}
    labels: list[float] = []
    y = float(PADDING)
    widest = 0.0
    for column in columns:
        labels.append(y + 11)
        y += HEADER
        x = float(PADDING)
        for key in column:
            width = len(by_id[key].label) * CHAR_WIDTH + 2 * PADDING
            if x > PADDING and x + width > limit - PADDING:
                x, y = float(PADDING), y + NODE_HEIGHT + LINE_GAP
            boxes[key] = _Box(x, y, width)
            widest = max(widest, x + width)
            x += width + BOX_GAP
        y += NODE_HEIGHT + WAVE_GAP
    return boxes, labels, (max(widest + PADDING, 2 * PADDING), y - WAVE_GAP + PADDING)


def _edge(start: _Box, end: _Box) -> str:
    x1, y1 = start.x + start.width / 2, start.y + NODE_HEIGHT
    x2, y2 = end.x + end.width / 2, end.y
    bend = max((y2 - y1) / 2, 12)
    return (
        f'<path class="edge" marker-end="url(#gluesim-arrow)" '
        f'd="M{x1:.1f},{y1:.1f} C{x1:.1f},{y1 + bend:.1f} {x2:.1f},{y2 - bend:.1f} {x2:.1f},{y2:.1f}"/>'
    )


def _node(node: Node, box: _Box) -> str:
    kind = "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in node.kind)
    shape = (
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" height="{NODE_HEIGHT}" rx="4"/>'
        f'<text x="{box.x + PADDING:.1f}" y="{box.y + NODE_HEIGHT / 2 + 4:.1f}">{escape(node.label)}</text>'
    )
    tooltip = f"<title>{escape(node.tooltip or node.label)}</title>"
    if node.href:
        name = escape(f"{node.tooltip} ({node.label})" if node.tooltip else node.label, quote=True)
        shape = f'<a href="{escape(node.href, quote=True)}" aria-label="{name}">{tooltip}{shape}</a>'
    else:
        shape = tooltip + shape
    return f'<g class="node kind-{kind}" data-id="{escape(node.id, quote=True)}">{shape}</g>'
