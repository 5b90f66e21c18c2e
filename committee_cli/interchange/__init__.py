"""Formats in and out of a registry: Word decisions and spreadsheets read, Popolo, iCalendar and
spreadsheets written. Readers return plain dataclasses and writers take a ``Registry`` or rows;
the use cases that write the registry from what was read live in ``services.imports``.
"""
