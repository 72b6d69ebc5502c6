"""QI Skills: learn the skills of quality improvement in healthcare."""
