"""Diagrams drawn on the server as SVG: pure functions, plain data in, an SVG string out.

No database and no HTTP (like `app.measurement`). Every text is escaped; every diagram has a
<title> and <desc> and role="img"; pages show a text alternative beside it (a nested list or a
table), which is the primary accessible form.
"""

from app.diagrams.driver import DriverBox, driver_svg
from app.diagrams.stakeholders import QUADRANTS, Person, stakeholder_svg

__all__ = ["QUADRANTS", "DriverBox", "Person", "driver_svg", "stakeholder_svg"]
