"""Moodle GIFT: read and write question banks so they move between Moodle and QI Skills."""
