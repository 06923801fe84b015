"""Production settings for the bench server, plus the one thing they lack today.

``src/hoso/static`` (hoso.css, grid.js …) is in no app's ``static/`` folder and not in
``STATICFILES_DIRS``, so with ``DEBUG=false`` ``collectstatic`` leaves it out and every page fails
with "Missing staticfiles manifest entry for 'hoso/hoso.css'". Reported in docs/performance.md;
until settings.py lists it, the benchmarks add it here and change nothing else.
"""

from hoso.config.settings import *  # noqa: F403
from hoso.config.settings import BASE_DIR

STATICFILES_DIRS = [BASE_DIR / "static"]
