"""Onboarding sites: a plain mkdocs project generated from the knowledge base and scenarios.

Entry points (``gluesim docs build|serve`` call these):

- :func:`gluesim.cli.docsite.build.build` — generate and build the site for the shipped KB,
  managed policies and scenarios into a folder, all or nothing;
- :func:`gluesim.cli.docsite.selfdocs.build_source` — the same machinery for a hand-written
  docs folder (gluesim's own ``docs/``), with the generated CLI and KB references;
- :func:`gluesim.cli.docsite.site.generate` — the pages and ``mkdocs.yml`` as data;
- :func:`gluesim.cli.docsite.graph_svg.render` — a dependency graph as standalone SVG;
- :func:`gluesim.cli.docsite.serve.serve` — serve a built site on 127.0.0.1.
"""
