"""Use cases: one function per thing a user does (validate, format, amend, …).

The CLI calls these; so can any Python program.
"""
