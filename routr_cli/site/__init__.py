"""The static comparison site: pure rendering of the ranking API's results.

``build_site(SiteData, out, SiteOptions)`` plans every page (``plan``, ``plan_pairs``,
``plan_extra``), renders them with the Jinja2 templates in ``templates/`` and writes
only what changed (``builder``). Nothing here touches a database, Docker or the
network: ``routr site build`` (``cli/site_cmd.py``) gathers ``SiteData`` from the store.
"""

from routr_cli.site.builder import BuildReport, build_site, plan_site
from routr_cli.site.inputs import Download, Outcome, SiteData, SiteOptions, TaskInfo

__all__ = [
    "BuildReport",
    "Download",
    "Outcome",
    "SiteData",
    "SiteOptions",
    "TaskInfo",
    "build_site",
    "plan_site",
]
