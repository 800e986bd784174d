"""Onboarding sites: a plain mkdocs project generated from the knowledge base and scenarios."""
