"""MkDocs hook: ship the self-hosted Python runtime and the assessment package into the site."""
