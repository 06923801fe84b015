"""The bench server's settings: the production settings as they are (``DEBUG=false`` comes from
the environment the benchmarks set). Kept as a module so a benchmark can override one setting
here, said and explained, without touching ``hoso.config.settings``."""

from hoso.config.settings import *  # noqa: F403
