"""The demo province (``shared/design/interfaces.md``): ``seed.seed_demo`` builds it."""
