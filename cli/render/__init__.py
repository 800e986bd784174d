"""Pure render functions (data in, text out) shared by the CLI and the docs site."""
